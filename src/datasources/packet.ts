// Equinix Metal (formerly Packet): bare metal, so no DMI string to detect it
// by; named explicitly. One JSON document at metadata.platformequinix.com
// (reached through the DHCP-configured network), user-data beside it.
import { field, str, strings, type CloudDatasource } from './cloud-datasource';

export const packet: CloudDatasource = {
  name: 'packet',
  endpoint: 'https://metadata.platformequinix.com',
  async fetch(env) {
    const http = env.http(this.endpoint);
    const meta = await http.json('/metadata');
    if (meta === null) return null;
    const instanceId = str(meta, 'id');
    if (!instanceId) throw new Error('packet: /metadata has no id');
    const userData = await http.bytes('/userdata');
    return {
      instanceId,
      hostname: str(meta, 'hostname'),
      sshKeys: strings(field(meta, 'ssh_keys')),
      userData: userData?.length ? userData : null,
      vendorData: null,
    };
  },
};
