// The user Docker's Swarm, through its Engine API (/info, /swarm, /nodes):
// the few calls ros makes, typed, so src/swarm/ never sees dockerode's `any`.
import type { DockerClient } from './clients';

/** What this node's dockerd says of its own membership (`docker info`'s Swarm part). */
export interface LocalSwarm {
  /** inactive: in no swarm; pending: joining; active; error: lost its managers; locked: autolock. */
  state: 'inactive' | 'pending' | 'active' | 'error' | 'locked';
  nodeId: string;
  nodeAddr: string;
  isManager: boolean;
  /** Known on managers only. */
  clusterId: string;
  error: string;
  remoteManagers: string[];
}

interface InfoSwarm {
  NodeID?: string;
  NodeAddr?: string;
  LocalNodeState?: string;
  ControlAvailable?: boolean;
  Error?: string;
  RemoteManagers?: { NodeID?: string; Addr?: string }[] | null;
  Cluster?: { ID?: string } | null;
}

export async function localSwarm(docker: DockerClient): Promise<LocalSwarm> {
  const info = (await docker.info()) as { Swarm?: InfoSwarm };
  const s = info.Swarm ?? {};
  const state = (['inactive', 'pending', 'active', 'error', 'locked'] as const).find((x) => x === s.LocalNodeState) ?? 'inactive';
  return {
    state,
    nodeId: s.NodeID ?? '',
    nodeAddr: s.NodeAddr ?? '',
    isManager: s.ControlAvailable === true,
    clusterId: s.Cluster?.ID ?? '',
    error: s.Error ?? '',
    remoteManagers: (s.RemoteManagers ?? []).map((m) => m.Addr ?? '').filter(Boolean),
  };
}

/** Starts a new swarm with this node as its first manager; returns the node id. */
export async function initSwarm(docker: DockerClient, advertiseAddr: string): Promise<string> {
  return String(await docker.swarmInit({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: advertiseAddr }));
}

export async function joinSwarm(docker: DockerClient, advertiseAddr: string, managers: string[], token: string): Promise<void> {
  await docker.swarmJoin({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: advertiseAddr, RemoteAddrs: managers, JoinToken: token });
}

/** The join tokens (manager only). */
export async function joinTokens(docker: DockerClient): Promise<{ worker: string; manager: string; clusterId: string }> {
  const s = (await docker.swarmInspect()) as { ID?: string; JoinTokens?: { Worker?: string; Manager?: string } };
  return { worker: s.JoinTokens?.Worker ?? '', manager: s.JoinTokens?.Manager ?? '', clusterId: s.ID ?? '' };
}

export interface SwarmNode {
  id: string;
  hostname: string;
  role: string;
  /** ready, down, unknown, disconnected. */
  state: string;
  availability: string;
  addr: string;
  /** Managers: reachable, unreachable, unknown; '' on workers. */
  reachability: string;
  leader: boolean;
  managerAddr: string;
  labels: Record<string, string>;
}

interface ApiNode {
  ID?: string;
  Version?: { Index?: number };
  Spec?: { Role?: string; Availability?: string; Labels?: Record<string, string>; Name?: string };
  Description?: { Hostname?: string };
  Status?: { State?: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string; Addr?: string };
}

function nodeOf(n: ApiNode): SwarmNode {
  return {
    id: n.ID ?? '',
    hostname: n.Description?.Hostname ?? '',
    role: n.Spec?.Role ?? '',
    state: n.Status?.State ?? 'unknown',
    availability: n.Spec?.Availability ?? '',
    addr: n.Status?.Addr ?? '',
    reachability: n.ManagerStatus?.Reachability ?? '',
    leader: n.ManagerStatus?.Leader === true,
    managerAddr: n.ManagerStatus?.Addr ?? '',
    labels: n.Spec?.Labels ?? {},
  };
}

/** The cluster's nodes (manager only). */
export async function swarmNodes(docker: DockerClient): Promise<SwarmNode[]> {
  return ((await docker.listNodes()) as ApiNode[]).map(nodeOf);
}

/** Adds `labels` to a node's (manager only); nothing when they are already there. Returns whether it changed. */
export async function addNodeLabels(docker: DockerClient, nodeId: string, labels: Record<string, string>): Promise<boolean> {
  const node = docker.getNode(nodeId);
  const n = (await node.inspect()) as ApiNode;
  const spec = n.Spec ?? {};
  const have = spec.Labels ?? {};
  if (Object.entries(labels).every(([k, v]) => have[k] === v)) return false;
  // docker-modem: _query goes to the URL (the version the update is against), _body is the new spec.
  await node.update({ _query: { version: n.Version?.Index ?? 0 }, _body: { ...spec, Labels: { ...have, ...labels } } });
  return true;
}
