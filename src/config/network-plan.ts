// From rancher.network to concrete per-interface actions (pure).
import type { InterfaceConfig, NetworkConfig } from './types';

export interface InterfacePlan {
  name: string;
  dhcp: boolean;
  /** Static addresses (CIDR), `address` first. */
  addresses: string[];
  gateway?: string;
  gatewayIpv6?: string;
  mtu?: number;
}

/** An interface of this machine: its name and, when known, its MAC address. */
export interface PresentInterface {
  name: string;
  mac?: string;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * Each present interface (but lo) gets the first matching config: its MAC
 * (`mac=…`, as the cloud names it), then its exact name, then a glob. With no
 * config at all, every eth* interface uses DHCP.
 */
export function planInterfaces(present: (string | PresentInterface)[], net: NetworkConfig = {}): InterfacePlan[] {
  const entries = Object.entries(net.interfaces ?? { 'eth*': { dhcp: true } });
  const byMac = new Map(entries.filter(([k]) => k.startsWith('mac=')).map(([k, v]) => [k.slice(4).toLowerCase(), v]));
  const exact = new Map(entries.filter(([k]) => !/[*?]/.test(k) && !k.startsWith('mac=')));
  const globs = entries.filter(([k]) => /[*?]/.test(k)).map(([k, v]) => [globToRegExp(k), v] as const);
  const plans: InterfacePlan[] = [];
  const all = present.map((p) => (typeof p === 'string' ? { name: p } : p));
  for (const { name, mac } of all.filter((p) => p.name !== 'lo').sort((a, b) => a.name.localeCompare(b.name))) {
    const cfg: InterfaceConfig | undefined =
      (mac ? byMac.get(mac.toLowerCase()) : undefined) ?? exact.get(name) ?? globs.find(([re]) => re.test(name))?.[1];
    if (!cfg) continue;
    const addresses = [...(cfg.address ? [cfg.address] : []), ...(cfg.addresses ?? [])];
    plans.push({ name, dhcp: cfg.dhcp ?? addresses.length === 0, addresses, gateway: cfg.gateway, gatewayIpv6: cfg.gateway_ipv6, mtu: cfg.mtu });
  }
  return plans;
}

export function resolvConf(net: NetworkConfig = {}): string | null {
  const ns = net.dns?.nameservers ?? [];
  if (ns.length === 0) return null;
  const search = net.dns?.search?.length ? `search ${net.dns.search.join(' ')}\n` : '';
  return `${search}${ns.map((n) => `nameserver ${n}`).join('\n')}\n`;
}
