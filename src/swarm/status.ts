// `ros swarm status`: what this node is in the swarm, the cluster's nodes (a
// manager knows them) and whether the managers keep their quorum. Pure
// rendering; the CLI gathers the parts.
import type { LocalSwarm, SwarmNode } from '../docker/swarm';
import type { AgentStatus } from './agent';

export interface Quorum {
  managers: number;
  reachable: number;
  /** A majority of the managers: below it the swarm cannot change (no new tasks, no node changes). */
  needed: number;
  ok: boolean;
}

export function quorumOf(nodes: SwarmNode[]): Quorum {
  const managers = nodes.filter((n) => n.role === 'manager');
  const reachable = managers.filter((n) => n.reachability === 'reachable').length;
  const needed = Math.floor(managers.length / 2) + 1;
  return { managers: managers.length, reachable, needed, ok: reachable >= needed };
}

export interface SwarmStatusReport {
  /** rancher.swarm.role, or null when rancher.swarm is not set. */
  configuredRole: string | null;
  local: LocalSwarm | null;
  /** Why the user Docker could not be asked. */
  dockerError?: string;
  agent: AgentStatus | null;
  nodes: SwarmNode[] | null;
  quorum: Quorum | null;
}

export function renderStatus(r: SwarmStatusReport): string[][] {
  const rows: string[][] = [];
  const l = r.local;
  rows.push(['this node', l ? `${l.state === 'active' ? (l.isManager ? 'manager' : 'worker') : `not in a swarm (${l.state})`}${l.nodeId ? `, node ${l.nodeId}` : ''}${l.nodeAddr ? `, address ${l.nodeAddr}` : ''}` : `unknown: ${r.dockerError ?? 'the user Docker does not answer'}`]);
  rows.push(['config', r.configuredRole ? `rancher.swarm.role ${r.configuredRole}` : 'rancher.swarm is not set']);
  if (r.agent) rows.push(['agent', `${r.agent.detail} (${r.agent.at})`]);
  if (l?.error) rows.push(['error', l.error]);
  if (l?.clusterId) rows.push(['cluster', l.clusterId]);
  if (r.quorum) rows.push(['quorum', `${r.quorum.reachable} of ${r.quorum.managers} manager(s) reachable, ${r.quorum.needed} needed: ${r.quorum.ok ? 'ok' : 'LOST (the swarm cannot change until enough managers are back)'}`]);
  if (l?.state === 'active' && !l.isManager) rows.push(['managers', `${l.remoteManagers.join(', ') || 'none known'} (the node list is on the managers: docker node ls there)`]);
  return rows;
}

export function renderNodes(nodes: SwarmNode[]): string[][] {
  const rows = [['HOSTNAME', 'ROLE', 'STATE', 'AVAILABILITY', 'ADDRESS', 'MANAGER', 'ID']];
  for (const n of [...nodes].sort((a, b) => a.hostname.localeCompare(b.hostname))) {
    const mgr = n.role === 'manager' ? `${n.leader ? 'leader' : n.reachability}` : '';
    rows.push([n.hostname, n.role, n.state, n.availability, n.addr, mgr, n.id]);
  }
  return rows;
}
