// OpenStack's network_data.json to rancher.network (pure): each link by its
// MAC, its static IPv4/IPv6 networks as addresses, default routes as
// gateways, DNS services as resolvers. Clouds that hand out DHCP say so
// (ipv4_dhcp), and then nothing is configured here: DHCP already runs.
import type { InterfaceConfig, NetworkConfig } from '../config/types';
import { field, str } from './cloud-datasource';
import { prefixOf } from './netmask';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function withPrefix(net: unknown): string | undefined {
  const ip = str(net, 'ip_address');
  if (!ip) return undefined;
  if (ip.includes('/')) return ip.toLowerCase();
  const prefix = prefixOf(str(net, 'netmask') ?? '');
  return prefix === null ? undefined : `${ip.toLowerCase()}/${prefix}`;
}

/** The gateway of a route to 0.0.0.0/0 or ::/0. */
function defaultGateway(net: unknown): string | undefined {
  const route = list(field(net, 'routes')).find((r) => ['0.0.0.0', '::'].includes(str(r, 'network') ?? '') && ['0.0.0.0', '::', undefined].includes(str(r, 'netmask')));
  return str(route, 'gateway')?.toLowerCase();
}

export function openStackNetwork(doc: unknown): NetworkConfig | undefined {
  const interfaces: Record<string, InterfaceConfig> = {};
  for (const link of list(field(doc, 'links'))) {
    const mac = str(link, 'ethernet_mac_address')?.toLowerCase();
    const id = str(link, 'id');
    if (!mac || !id) continue;
    const nets = list(field(doc, 'networks')).filter((n) => str(n, 'link') === id);
    const statics = nets.filter((n) => str(n, 'type') === 'ipv4' || str(n, 'type') === 'ipv6');
    if (statics.length === 0) continue;
    const cfg: InterfaceConfig = {
      dhcp: nets.some((n) => /_dhcp$/.test(str(n, 'type') ?? '')),
      addresses: statics.map(withPrefix).filter((a): a is string => !!a),
    };
    const v4 = statics.filter((n) => str(n, 'type') === 'ipv4').map(defaultGateway).find(Boolean);
    const v6 = statics.filter((n) => str(n, 'type') === 'ipv6').map(defaultGateway).find(Boolean);
    if (v4) cfg.gateway = v4;
    if (v6) cfg.gateway_ipv6 = v6;
    const mtu = field(link, 'mtu');
    if (typeof mtu === 'number') cfg.mtu = mtu;
    interfaces[`mac=${mac}`] = cfg;
  }
  const nameservers = list(field(doc, 'services')).filter((s) => str(s, 'type') === 'dns').map((s) => str(s, 'address')).filter((a): a is string => !!a);
  if (Object.keys(interfaces).length === 0) return undefined;
  return { interfaces, ...(nameservers.length ? { dns: { nameservers } } : {}) };
}
