// Reaching a link-local metadata service (169.254.169.254) before DHCP gave a
// route to it, or when there is no DHCP at all (DigitalOcean): which `ip`
// commands make it reachable on the first interface, and which undo them (pure).

export interface LinkState {
  name: string;
  mac?: string;
  /** The interface has an IPv4 address already. */
  hasIpv4: boolean;
}

export interface LinkLocalPlan {
  commands: string[][];
  undo: string[][];
}

export const isLinkLocal = (host: string) => /^169\.254\.\d{1,3}\.\d{1,3}$/.test(host);

/** 169.254.X.Y from the MAC's last two bytes, kept out of the reserved first and last /24 and off the target. */
export function linkLocalAddress(mac: string | undefined, target: string): string {
  const bytes = (mac ?? '').split(':').map((b) => parseInt(b, 16)).filter((b) => Number.isInteger(b));
  const x = 1 + ((bytes.at(-2) ?? 0) % 253);
  let y = (bytes.at(-1) ?? 1) % 256;
  if (`169.254.${x}.${y}` === target) y = (y + 1) % 256;
  return `169.254.${x}.${y}`;
}

/** Nothing when a route already reaches `target`; else a host route, or a link-local address when the interface has none. */
export function planLinkLocal(target: string, routed: boolean, links: LinkState[]): LinkLocalPlan {
  const link = links.filter((l) => /^(eth|en)/.test(l.name)).sort((a, b) => a.name.localeCompare(b.name))[0];
  if (routed || !link || !isLinkLocal(target)) return { commands: [], undo: [] };
  if (link.hasIpv4) {
    const route = ['route', 'add', `${target}/32`, 'dev', link.name, 'scope', 'link'];
    return { commands: [['link', 'set', link.name, 'up'], route], undo: [['route', 'del', `${target}/32`, 'dev', link.name]] };
  }
  const addr = `${linkLocalAddress(link.mac, target)}/16`;
  return {
    commands: [['link', 'set', link.name, 'up'], ['addr', 'add', addr, 'dev', link.name, 'scope', 'link']],
    undo: [['addr', 'del', addr, 'dev', link.name]],
  };
}
