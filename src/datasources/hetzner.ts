// Hetzner Cloud: hetzner/v1/metadata (YAML) and hetzner/v1/userdata at
// 169.254.169.254. The metadata has the hostname, instance-id, public-keys and
// vendor_data; its network-config (cloud-init v1) is left to DHCP, which
// Hetzner provides on every interface.
import { parse as parseYaml } from 'yaml';
import { field, str, strings, type CloudDatasource } from './cloud-datasource';

export const hetzner: CloudDatasource = {
  name: 'hetzner',
  endpoint: 'http://169.254.169.254',
  detect: (d) => /hetzner/i.test(d.sys_vendor ?? ''),
  async fetch(env) {
    const http = env.http(this.endpoint);
    const text = await http.text('/hetzner/v1/metadata');
    if (text === null) return null;
    const meta = parseYaml(text) as unknown;
    const instanceId = str(meta, 'instance-id');
    if (!instanceId) throw new Error('hetzner: the metadata has no instance-id');
    const userData = await http.bytes('/hetzner/v1/userdata');
    const vendor = field(meta, 'vendor_data');
    return {
      instanceId,
      hostname: str(meta, 'hostname') ?? str(meta, 'local-hostname'),
      sshKeys: strings(field(meta, 'public-keys')),
      userData: userData?.length ? userData : null,
      vendorData: typeof vendor === 'string' && vendor ? Buffer.from(vendor) : null,
    };
  },
};
