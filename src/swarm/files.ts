// The swarm agent's two files: the membership record on the state disk and
// its status in /run (config/paths.ts). A missing or unreadable file is "none".
import { readFileSync } from 'node:fs';
import { SWARM_MEMBERSHIP, SWARM_STATUS } from '../config/paths';
import { atomicWrite } from '../sys/atomic-write';
import type { AgentStatus } from './agent';
import type { Membership } from './plan';

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function readMembership(file = SWARM_MEMBERSHIP): Membership | null {
  const m = readJson(file) as Partial<Membership> | null;
  return m && typeof m.nodeId === 'string' && (m.role === 'manager' || m.role === 'worker') ? { nodeId: m.nodeId, clusterId: String(m.clusterId ?? ''), role: m.role, at: String(m.at ?? '') } : null;
}

export function writeMembership(m: Membership, file = SWARM_MEMBERSHIP): void {
  atomicWrite(file, `${JSON.stringify(m, null, 2)}\n`);
}

export function readAgentStatus(file = SWARM_STATUS): AgentStatus | null {
  const s = readJson(file) as Partial<AgentStatus> | null;
  return s && typeof s.state === 'string' && typeof s.detail === 'string' ? (s as AgentStatus) : null;
}

export function writeAgentStatus(s: AgentStatus, file = SWARM_STATUS): void {
  atomicWrite(file, `${JSON.stringify(s)}\n`);
}
