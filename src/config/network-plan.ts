// From rancher.network to concrete per-interface actions (pure).
import type { InterfaceConfig, NetworkConfig } from './types';

export interface InterfacePlan {
  name: string;
  dhcp: boolean;
  address?: string;
  gateway?: string;
  mtu?: number;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * Each present interface (but lo) gets the first matching config, exact names
 * before globs. With no config at all, every eth* interface uses DHCP.
 */
export function planInterfaces(present: string[], net: NetworkConfig = {}): InterfacePlan[] {
  const entries = Object.entries(net.interfaces ?? { 'eth*': { dhcp: true } });
  const exact = new Map(entries.filter(([k]) => !/[*?]/.test(k)));
  const globs = entries.filter(([k]) => /[*?]/.test(k)).map(([k, v]) => [globToRegExp(k), v] as const);
  const plans: InterfacePlan[] = [];
  for (const name of present.filter((n) => n !== 'lo').sort()) {
    const cfg: InterfaceConfig | undefined = exact.get(name) ?? globs.find(([re]) => re.test(name))?.[1];
    if (!cfg) continue;
    plans.push({ name, dhcp: cfg.dhcp ?? !cfg.address, address: cfg.address, gateway: cfg.gateway, mtu: cfg.mtu });
  }
  return plans;
}

export function resolvConf(net: NetworkConfig = {}): string | null {
  const ns = net.dns?.nameservers ?? [];
  if (ns.length === 0) return null;
  const search = net.dns?.search?.length ? `search ${net.dns.search.join(' ')}\n` : '';
  return `${search}${ns.map((n) => `nameserver ${n}`).join('\n')}\n`;
}
