// DigitalOcean: one JSON document, /metadata/v1.json at 169.254.169.254.
// Droplets may have no DHCP, so the public and private interfaces get their
// addresses, gateways and resolvers from here (rancher.network, matched by MAC).
import type { InterfaceConfig, NetworkConfig } from '../config/types';
import { bytesOf, field, str, strings, type CloudDatasource } from './cloud-datasource';
import { prefixOf } from './netmask';

function ipv4(v: unknown): string | undefined {
  const ip = str(v, 'ip_address');
  const prefix = prefixOf(str(v, 'netmask') ?? '');
  return ip && prefix !== null ? `${ip}/${prefix}` : undefined;
}

function iface(entry: unknown, isPublic: boolean): [string, InterfaceConfig] | null {
  const mac = str(entry, 'mac')?.toLowerCase();
  if (!mac) return null;
  const v4 = field(entry, 'ipv4');
  const v6 = field(entry, 'ipv6');
  const v6addr = str(v6, 'ip_address') && str(v6, 'cidr') ? `${str(v6, 'ip_address')?.toLowerCase()}/${str(v6, 'cidr')}` : undefined;
  // The anchor address is what a floating IP is routed to.
  const addresses = [ipv4(v4), v6addr, ipv4(field(entry, 'anchor_ipv4'))].filter((a): a is string => !!a);
  const cfg: InterfaceConfig = { dhcp: false, addresses };
  // One default route per family: through the public interface only.
  if (isPublic && str(v4, 'gateway')) cfg.gateway = str(v4, 'gateway');
  if (isPublic && str(v6, 'gateway')) cfg.gateway_ipv6 = str(v6, 'gateway')?.toLowerCase();
  return [`mac=${mac}`, cfg];
}

export function digitalOceanNetwork(meta: unknown): NetworkConfig | undefined {
  const ifs = field(meta, 'interfaces');
  const entries = [
    ...((field(ifs, 'public') as unknown[] | undefined) ?? []).map((e) => iface(e, true)),
    ...((field(ifs, 'private') as unknown[] | undefined) ?? []).map((e) => iface(e, false)),
  ].filter((e): e is [string, InterfaceConfig] => e !== null && (e[1].addresses?.length ?? 0) > 0);
  const nameservers = strings(field(field(meta, 'dns'), 'nameservers'));
  if (entries.length === 0 && nameservers.length === 0) return undefined;
  return {
    ...(entries.length ? { interfaces: Object.fromEntries(entries) } : {}),
    ...(nameservers.length ? { dns: { nameservers } } : {}),
  };
}

export const digitalocean: CloudDatasource = {
  name: 'digitalocean',
  endpoint: 'http://169.254.169.254',
  detect: (d) => /digitalocean/i.test(d.sys_vendor ?? ''),
  async fetch(env) {
    const meta = await env.http(this.endpoint).json('/metadata/v1.json');
    if (meta === null) return null;
    const instanceId = str(meta, 'droplet_id');
    if (!instanceId) throw new Error('digitalocean: /metadata/v1.json has no droplet_id');
    return {
      instanceId,
      hostname: str(meta, 'hostname'),
      sshKeys: strings(field(meta, 'public_keys')),
      userData: bytesOf(meta, 'user_data'),
      vendorData: bytesOf(meta, 'vendor_data'),
      network: digitalOceanNetwork(meta),
    };
  },
};
