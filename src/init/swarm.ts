// PID 1's part in the swarm (docs/architecture.md, "Swarm"): at boot-complete,
// when rancher.swarm is set, it starts `ros swarm agent` as a child and logs
// each line the agent prints. The network-facing token service and the
// retries live in that child, so no request from the network runs in PID 1,
// and boot-complete never waits for a manager. A crashed agent is started
// again, 5 s later at first, up to a minute.
import type { ChildProcess } from 'node:child_process';
import { release } from 'node:os';
import { loadModules } from '../sys/modules';
import { SWARM_MODULES, swarmEnabled } from '../swarm/plan';
import { spawnOwned } from './children';
import type { BootContext } from './context';
import { shutdownInProgress } from './shutdown';

const ROS = '/usr/bin/ros';

let agent: ChildProcess | null = null;
let restarts = 0;
let timer: NodeJS.Timeout | undefined;

function logLine(ctx: BootContext, line: string): void {
  const m = /^(info|warn|error): (.*)$/.exec(line);
  const level = (m?.[1] ?? 'info') as 'info' | 'warn' | 'error';
  ctx.log[level](`swarm: ${m?.[2] ?? line}`);
}

function spawnAgent(ctx: BootContext): void {
  // Here rather than in a boot stage, so rancher.swarm set later (ros config set, then SIGHUP) gets them too.
  const mods = loadModules(release(), SWARM_MODULES);
  for (const f of mods.failed) ctx.log.warn(`swarm: module ${f.module}: ${f.error}`);
  if (mods.missing.length > 0) ctx.log.warn(`swarm: modules not found: ${mods.missing.join(', ')}: overlay networks or service addresses may not work`);
  const child = spawnOwned(ROS, ['swarm', 'agent'], { stdio: ['ignore', 'pipe', 'pipe'], env: ctx.env });
  agent = child;
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) if (l.trim()) logLine(ctx, l.trim());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('error', (err) => ctx.log.error(`swarm: cannot start the agent: ${err.message}`));
  child.once('exit', (code, signal) => {
    if (agent === child) agent = null;
    if (code === 0 || shutdownInProgress() || signal === 'SIGTERM') return;
    const wait = Math.min(60, 5 * 2 ** restarts++);
    ctx.log.warn(`swarm: the agent ended (${signal ?? `exit ${code}`}); starting it again in ${wait} s`);
    timer = setTimeout(() => startSwarmAgent(ctx), wait * 1000);
  });
}

/** At boot-complete and after SIGHUP: starts the agent when rancher.swarm is set, stops it when not. Never throws. */
export function startSwarmAgent(ctx: BootContext): void {
  try {
    clearTimeout(timer);
    if (shutdownInProgress()) return;
    if (!swarmEnabled(ctx.config.rancher?.swarm)) {
      if (agent) {
        ctx.log.info('swarm: rancher.swarm is no longer set: stopping the agent');
        agent.kill('SIGTERM');
      }
      return;
    }
    // A running agent re-reads the config each round: nothing to restart.
    if (agent) return;
    spawnAgent(ctx);
  } catch (err) {
    ctx.log.error(`swarm: ${(err as Error).message}`);
  }
}
