// The swarm agent: `ros swarm agent`, a child PID 1 starts after the boot
// (src/init/swarm.ts). A loop: read rancher.swarm and the user Docker's
// membership, let swarmPlan say what to do, do it, wait. On a manager it also
// runs the join-token service. Each decision is one line on stdout, which PID 1
// logs. docs/architecture.md, "Swarm".
import type { Server } from 'node:http';
import type { SwarmConfig } from '../config/types';
import type { DockerClient } from '../docker/clients';
import { addNodeLabels, initSwarm, joinSwarm, localSwarm, type LocalSwarm } from '../docker/swarm';
import { backoffS, hostPort, managerAddress, roleOf, swarmPlan, type Membership, type SwarmStep } from './plan';
import { clusterKeys, type ClusterKeys } from './protocol';
import { askManager, WrongSecretError } from './token-client';
import { startTokenServer, type Say, type TokenPayload } from './token-server';

/** What `ros swarm status` shows of the agent. */
export interface AgentStatus {
  state: SwarmStep['do'];
  detail: string;
  at: string;
}

export interface AgentIo {
  docker: DockerClient;
  /** Read each round, so a `ros config set` is followed without a restart. */
  config(): SwarmConfig | undefined;
  advertise(setting: string | undefined): { addr: string } | { wait: string };
  readMembership(): Membership | null;
  writeMembership(m: Membership): void;
  writeStatus(s: AgentStatus): void;
  say: Say;
  sleep(ms: number): Promise<void>;
}

const MEMBER_CHECK_MS = 30_000;

class Agent {
  #attempt = 0;
  #server: { server: Server; addr: string; secret: string } | null = null;
  #labelled = '';
  #said = '';

  constructor(private readonly io: AgentIo) {}

  /** Logs a line only when it differs from the last one: a steady state is one line, not one a round. */
  #note(state: SwarmStep['do'], detail: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.io.writeStatus({ state, detail, at: new Date().toISOString() });
    if (detail === this.#said) return;
    this.#said = detail;
    this.io.say(level, detail);
  }

  async round(): Promise<number> {
    const cfg = this.io.config();
    let local: LocalSwarm;
    try {
      local = await localSwarm(this.io.docker);
    } catch (err) {
      this.#note('wait', `waiting for the user Docker: ${(err as Error).message}`);
      return 5000;
    }
    const step = swarmPlan(cfg, local, this.io.readMembership());
    if (step.do !== 'member') await this.#stopServer();
    switch (step.do) {
      case 'off':
        this.#note('off', 'rancher.swarm is not set: nothing to do');
        return -1;
      case 'invalid':
        this.#note('invalid', step.why, 'error');
        return 60_000;
      case 'wait':
        this.#note('wait', step.why);
        return 10_000;
      case 'stay-out':
        this.#note('stay-out', step.why, 'warn');
        return 60_000;
      case 'member':
        return this.#member(cfg ?? {}, local, step.why);
      case 'init':
        return this.#init(cfg ?? {}, step.why);
      case 'join':
        return this.#join(cfg ?? {}, step);
    }
  }

  async #member(cfg: SwarmConfig, local: LocalSwarm, why: string): Promise<number> {
    this.#attempt = 0;
    this.#note('member', why);
    const had = this.io.readMembership();
    const role = local.isManager ? 'manager' : 'worker';
    if (!had || had.nodeId !== local.nodeId || had.role !== role || (local.clusterId && had.clusterId !== local.clusterId)) {
      this.io.writeMembership({ nodeId: local.nodeId, clusterId: local.clusterId || had?.clusterId || '', role, at: new Date().toISOString() });
    }
    const keys = clusterKeys(cfg.cluster_secret ?? '');
    if (local.isManager) await this.#serve(cfg, local.nodeAddr, keys);
    await this.#label(cfg, local, keys);
    return MEMBER_CHECK_MS;
  }

  /** A manager serves tokens on its swarm address; restarted when the address or the secret changes. */
  async #serve(cfg: SwarmConfig, addr: string, keys: ClusterKeys): Promise<void> {
    const secret = cfg.cluster_secret ?? '';
    if (this.#server && this.#server.addr === addr && this.#server.secret === secret) return;
    await this.#stopServer();
    try {
      const server = await startTokenServer(this.io.docker, keys, addr, (l, m) => this.io.say(l, `token service: ${m}`));
      this.#server = { server, addr, secret };
      this.io.say('info', `token service: listening on ${hostPort(addr, 2378)}`);
    } catch (err) {
      this.io.say('error', `token service: cannot listen on ${hostPort(addr, 2378)}: ${(err as Error).message}`);
    }
  }

  async #stopServer(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (s) await new Promise<void>((r) => s.server.close(() => r()));
  }

  /** rancher.swarm.labels, once per node id: a manager sets them itself, a worker asks a manager. */
  async #label(cfg: SwarmConfig, local: LocalSwarm, keys: ClusterKeys): Promise<void> {
    const labels = cfg.labels ?? {};
    if (Object.keys(labels).length === 0 || this.#labelled === local.nodeId) return;
    try {
      if (local.isManager) await addNodeLabels(this.io.docker, local.nodeId, labels);
      else {
        const m = managerAddress(local.remoteManagers[0] ?? cfg.join?.[0] ?? '');
        if ('error' in m) throw new Error('no manager known to ask');
        await askManager(m.host, m.tokenPort, keys, { op: 'labels', node: local.nodeId, labels });
      }
      this.#labelled = local.nodeId;
      this.io.say('info', `node labels set: ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    } catch (err) {
      this.io.say('warn', `node labels not set yet: ${(err as Error).message}; trying again in ${MEMBER_CHECK_MS / 1000} s`);
    }
  }

  async #init(cfg: SwarmConfig, why: string): Promise<number> {
    const adv = this.io.advertise(cfg.advertise_addr);
    if ('wait' in adv) {
      this.#note('init', `cannot start the swarm yet: ${adv.wait}`);
      return 5000;
    }
    this.#note('init', why);
    try {
      const id = await initSwarm(this.io.docker, adv.addr);
      this.io.say('info', `started a new swarm as its first manager, node ${id}, at ${adv.addr}`);
      return 0;
    } catch (err) {
      return this.#retry('init', `starting the swarm at ${adv.addr} failed: ${(err as Error).message}`);
    }
  }

  async #join(cfg: SwarmConfig, step: Extract<SwarmStep, { do: 'join' }>): Promise<number> {
    const adv = this.io.advertise(cfg.advertise_addr);
    if ('wait' in adv) {
      this.#note('join', `cannot join yet: ${adv.wait}`);
      return 5000;
    }
    const keys = clusterKeys(cfg.cluster_secret ?? '');
    const problems: string[] = [];
    let wrongSecret = false;
    for (const entry of step.managers) {
      const m = managerAddress(entry);
      if ('error' in m) {
        problems.push(m.error);
        continue;
      }
      let payload: TokenPayload;
      try {
        payload = (await askManager(m.host, m.tokenPort, keys, { op: 'token', role: step.role })) as TokenPayload;
      } catch (err) {
        wrongSecret ||= err instanceof WrongSecretError;
        problems.push(err instanceof WrongSecretError ? `manager ${m.host} ${err.message}` : `waiting for manager ${m.host}: ${(err as Error).message}`);
        continue;
      }
      const remotes = [hostPort(m.host, m.swarmPort), ...payload.managers.filter((a) => a !== hostPort(m.host, m.swarmPort))];
      try {
        this.#note('join', `joining the swarm as a ${roleOf(cfg)} through ${m.host} (advertising ${adv.addr})`);
        await joinSwarm(this.io.docker, adv.addr, remotes, payload.token);
        this.io.say('info', `joined the swarm as a ${step.role} through ${m.host}`);
        return 0;
      } catch (err) {
        problems.push(`joining through ${m.host} failed: ${(err as Error).message.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '')}`);
      }
    }
    // A wrong secret is an operator's mistake: it is said as an error, and retried slowly in case the config is fixed.
    return this.#retry('join', problems.join('; '), wrongSecret ? 'error' : 'info');
  }

  #retry(state: SwarmStep['do'], problem: string, level: 'info' | 'warn' | 'error' = 'info'): number {
    const s = level === 'error' ? 60 : backoffS(this.#attempt++);
    this.#said = ''; // every retry is worth a line: it tells how long the next wait is
    this.#note(state, `${problem}, retrying in ${s} s`, level);
    return s * 1000;
  }
}

/** Runs until rancher.swarm is off; a thrown error ends the agent (PID 1 starts it again). */
export async function runAgent(io: AgentIo): Promise<void> {
  const agent = new Agent(io);
  for (;;) {
    const wait = await agent.round();
    if (wait < 0) return;
    if (wait > 0) await io.sleep(wait);
  }
}
