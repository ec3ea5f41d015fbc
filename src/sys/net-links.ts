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
