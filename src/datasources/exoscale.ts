// Exoscale: an EC2-style tree under 1.0/ at 169.254.169.254, whose
// public-keys is the key itself rather than a listing.
import type { CloudDatasource } from './cloud-datasource';

export const exoscale: CloudDatasource = {
  name: 'exoscale',
  endpoint: 'http://169.254.169.254',
  detect: (d) => /^exoscale/i.test(d.product_name ?? ''),
  async fetch(env) {
    const http = env.http(this.endpoint);
    const meta = (key: string) => http.text(`/1.0/meta-data/${key}`).then((t) => t?.trim() || undefined);
    const instanceId = await meta('instance-id');
    if (!instanceId) return null;
    const keys = await meta('public-keys');
    const userData = await http.bytes('/1.0/user-data');
    return {
      instanceId,
      hostname: (await meta('local-hostname')) ?? (await meta('hostname')),
      sshKeys: (keys ?? '').split('\n').map((k) => k.trim()).filter(Boolean),
      userData: userData?.length ? userData : null,
      vendorData: null,
    };
  },
};
