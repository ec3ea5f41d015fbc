// The network interfaces of this machine, as the network planner takes them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { PresentInterface } from '../config/network-plan';

/** Every interface in /sys/class/net; a software device (bond, bridge, VLAN, veth…) has no `device` link. */
export function presentInterfaces(root = '/sys/class/net'): PresentInterface[] {
  return readdirSync(root).map((name) => {
    const virtual = !existsSync(`${root}/${name}/device`);
    try {
      return { name, mac: readFileSync(`${root}/${name}/address`, 'utf8').trim(), virtual };
    } catch {
      return { name, virtual };
    }
  });
}

/** The interface of the IPv4 default route in /proc/net/route's text, or null. */
export function parseDefaultRoute(text: string): string | null {
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && dest === '00000000' && mask === '00000000') return iface;
  }
  return null;
}

export function defaultRouteInterface(file = '/proc/net/route'): string | null {
  try {
    return parseDefaultRoute(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
