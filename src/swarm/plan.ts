// What the swarm agent does next, from rancher.swarm, what the user Docker
// says of its membership and what this node recorded when it joined
// (docs/architecture.md, "Swarm"). Pure: the agent (agent.ts) carries it out.
import { SWARM_MEMBERSHIP } from '../config/paths';
import type { SwarmConfig } from '../config/types';
import type { LocalSwarm } from '../docker/swarm';
import { TOKEN_PORT, type SwarmRole } from './protocol';

/** Written by the agent when the node is in a cluster: how it later tells "removed" from "never joined". */
export interface Membership {
  nodeId: string;
  /** Known when this node is a manager. */
  clusterId: string;
  role: SwarmRole;
  at: string;
}

export type SwarmStep =
  | { do: 'off' }
  | { do: 'invalid'; why: string }
  | { do: 'member'; why: string }
  | { do: 'wait'; why: string }
  | { do: 'init'; why: string }
  | { do: 'join'; role: SwarmRole; managers: string[]; why: string }
  | { do: 'stay-out'; why: string };

function stayOut(record: Membership): SwarmStep {
  return { do: 'stay-out', why: `this node left or was removed from the swarm${record.clusterId ? ` ${record.clusterId}` : ''} (it was node ${record.nodeId}); not joining again: set rancher.swarm.rejoin to true, or remove ${SWARM_MEMBERSHIP}, to join` };
}

export function roleOf(cfg: SwarmConfig): SwarmRole {
  return cfg.role ?? 'worker';
}

/** rancher.swarm asks for a swarm: a role, or managers to join. */
export function swarmEnabled(cfg: SwarmConfig | undefined): cfg is SwarmConfig {
  return Boolean(cfg && (cfg.role !== undefined || (cfg.join ?? []).length > 0));
}

/** What overlay networks (VXLAN) and service addresses (IPVS) need; the user Docker runs nested and cannot load them, so PID 1 does. */
export const SWARM_MODULES = ['vxlan', 'ip_vs', 'ip_vs_rr', 'xt_ipvs'];

export function swarmPlan(cfg: SwarmConfig | undefined, local: LocalSwarm, record: Membership | null): SwarmStep {
  if (!swarmEnabled(cfg)) return { do: 'off' };
  const role = roleOf(cfg);
  const join = cfg.join ?? [];
  if (!cfg.cluster_secret) return { do: 'invalid', why: 'rancher.swarm.cluster_secret is not set (make one with `ros swarm secret`)' };
  switch (local.state) {
    case 'active': {
      const is = local.isManager ? 'manager' : 'worker';
      const note = is !== role ? ` (rancher.swarm.role says ${role}: \`docker node ${role === 'manager' ? 'promote' : 'demote'}\` on a manager changes it)` : '';
      return { do: 'member', why: `a ${is} of the swarm${local.clusterId ? ` ${local.clusterId}` : ''}${note}` };
    }
    case 'pending':
      return { do: 'wait', why: 'joining: the user Docker is connecting to the managers' };
    case 'error':
    case 'locked':
      // Swarm may report a removal as an error while it tears the node down: the same "stay out" applies.
      if (record && /remov/i.test(local.error) && cfg.rejoin !== true) return stayOut(record);
      // The user Docker keeps its membership and reconnects by itself; joining again would make a second node.
      return { do: 'wait', why: `the user Docker reports swarm state ${local.state}${local.error ? `: ${local.error}` : ''}; it reconnects by itself` };
    case 'inactive':
      break;
  }
  if (record && cfg.rejoin !== true) return stayOut(record);
  if (join.length === 0) {
    if (role === 'manager') return { do: 'init', why: 'a manager with no managers to join: starting a new swarm' };
    return { do: 'invalid', why: 'a worker needs rancher.swarm.join (the addresses of its managers)' };
  }
  return { do: 'join', role, managers: join, why: `joining as a ${role} through ${join.join(', ')}` };
}

/** Seconds to wait before try number `attempt` (0-based): 2, 4, 8, … 60. */
export function backoffS(attempt: number): number {
  return Math.min(60, 2 ** Math.min(attempt + 1, 6));
}

export interface ManagerAddress {
  host: string;
  /** Swarm's port (2377 unless given). */
  swarmPort: number;
  tokenPort: number;
}

/** `10.0.0.1`, `10.0.0.1:2377`, `[fd00::1]:2377`, `mgr.example`: where Swarm and the token service answer. */
export function managerAddress(entry: string): ManagerAddress | { error: string } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(entry.trim());
  const bareV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/.test(entry.trim()) && entry.includes('::') ? entry.trim() : null;
  const host = bareV6 ?? m?.[1] ?? m?.[2];
  const port = bareV6 ? 2377 : Number(m?.[3] ?? 2377);
  if (!host || port < 1 || port > 65535) return { error: `rancher.swarm.join: "${entry}" is not an address, a name, or either with :port` };
  return { host, swarmPort: port, tokenPort: TOKEN_PORT };
}

/** host:port as Swarm's RemoteAddrs takes it. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export type Interfaces = Record<string, { address: string; family: string; internal: boolean }[] | undefined>;

/**
 * The address this node advertises: rancher.swarm.advertise_addr as an
 * address, or the first IPv4 address of the interface it names, or (unset)
 * that of `defaultIface`. An interface without an address yet is not an error
 * to give up on: the network may still be coming up.
 */
export function advertiseAddress(setting: string | undefined, ifaces: Interfaces, defaultIface: string | null): { addr: string } | { wait: string } {
  const want = setting ?? defaultIface;
  if (!want) return { wait: 'no default route yet, and rancher.swarm.advertise_addr is not set' };
  if (/^\d+\.\d+\.\d+\.\d+$/.test(want) || want.includes(':')) return { addr: want };
  const v4 = (ifaces[want] ?? []).find((a) => a.family === 'IPv4' && !a.internal);
  if (!v4) return { wait: `interface ${want} has no IPv4 address yet` };
  return { addr: v4.address };
}
