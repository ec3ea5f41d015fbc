// Vultr: one JSON document, v1.json at 169.254.169.254 (instance-v2-id,
// hostname, public-keys), user-data under latest/user-data as on EC2.
import { field, str, strings, type CloudDatasource } from './cloud-datasource';

export const vultr: CloudDatasource = {
  name: 'vultr',
  endpoint: 'http://169.254.169.254',
  detect: (d) => /vultr/i.test(d.sys_vendor ?? ''),
  async fetch(env) {
    const http = env.http(this.endpoint);
    const meta = await http.json('/v1.json');
    if (meta === null) return null;
    // instance-v2-id (a UUID) is what Vultr's API names instances by; instanceid is the legacy number.
    const instanceId = str(meta, 'instance-v2-id') ?? str(meta, 'instanceid');
    if (!instanceId) throw new Error('vultr: v1.json has no instance-v2-id');
    const userData = await http.bytes('/latest/user-data');
    return {
      instanceId,
      hostname: str(meta, 'hostname'),
      sshKeys: strings(field(meta, 'public-keys')),
      userData: userData?.length ? userData : null,
      vendorData: null,
    };
  },
};
