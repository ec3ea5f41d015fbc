// OpenStack's HTTP metadata service at 169.254.169.254, for clouds without a
// config drive (the `configdrive` datasource reads the same files from a disk):
// openstack/latest/meta_data.json, user_data, vendor_data.json and, for
// clouds without DHCP, network_data.json. A service that only has the
// EC2-compatible tree is read as EC2.
import { field, str, strings, type CloudDatasource } from './cloud-datasource';
import { readEc2Style } from './ec2-style';
import { openStackNetwork } from './openstack-network';

/** vendor_data.json holds `{"cloud-init": "<user-data>"}` when the operator gave any. */
export function openStackVendorData(json: unknown): Buffer | null {
  const v = field(json, 'cloud-init');
  return typeof v === 'string' && v ? Buffer.from(v, 'utf8') : null;
}

export const openstack: CloudDatasource = {
  name: 'openstack',
  endpoint: 'http://169.254.169.254',
  detect: (d) =>
    /openstack/i.test([d.product_name, d.sys_vendor].join(' ')) || /^(OpenTelekomCloud|SAP CCloud VM|HUAWEICLOUD)$/.test(d.chassis_asset_tag ?? ''),
  async fetch(env) {
    const http = env.http(this.endpoint);
    const meta = await http.json('/openstack/latest/meta_data.json');
    if (meta === null) {
      env.note('openstack: no openstack/latest/meta_data.json; reading the EC2-compatible tree');
      return readEc2Style(http, '/latest');
    }
    const instanceId = str(meta, 'uuid') ?? str(meta, 'instance-id');
    if (!instanceId) throw new Error('openstack: meta_data.json has no uuid');
    const userData = await http.bytes('/openstack/latest/user_data');
    return {
      instanceId,
      hostname: str(meta, 'hostname') ?? str(meta, 'name'),
      sshKeys: strings(field(meta, 'public_keys')),
      userData: userData?.length ? userData : null,
      vendorData: openStackVendorData(await http.json('/openstack/latest/vendor_data.json')),
      network: openStackNetwork(await http.json('/openstack/latest/network_data.json')),
    };
  },
};
