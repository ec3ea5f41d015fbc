// The system Docker daemon: PID 1's one direct child that matters. Its own
// containerd comes with it, under --exec-root so the user dockerd's never
// collides with it, started and kept running by with-containerd before
// dockerd execs (docs/architecture.md, "containerd before dockerd").
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { SYSTEM_DOCKER_SOCK, waitForDocker } from '../docker/clients';
import type { DockerDaemonConfig } from '../config/types';
import { spawnOwned } from './children';
import { daemonArgs } from '../services/docker-daemon';

export const SYSTEM_DOCKER_ROOT = '/var/lib/system-docker';
export const SYSTEM_DOCKER_EXEC_ROOT = '/var/run/system-docker';
export const SYSTEM_DOCKER_LOG = '/var/log/system-docker.log';
/** Starts a dockerd's containerd, then execs the dockerd (initramfs/files/usr/libexec/ros/with-containerd). */
export const WITH_CONTAINERD = '/usr/libexec/ros/with-containerd';
/** The pid of the shell that keeps the system containerd running (written by with-containerd). */
export const SYSTEM_CONTAINERD_KEEPER = `${SYSTEM_DOCKER_EXEC_ROOT}/containerd/keeper.pid`;

/** Pure: the dockerd argv for system-docker. */
export function systemDockerArgs(cfg: DockerDaemonConfig = {}): string[] {
  return [
    `--host=unix://${SYSTEM_DOCKER_SOCK}`,
    `--data-root=${SYSTEM_DOCKER_ROOT}`,
    `--exec-root=${SYSTEM_DOCKER_EXEC_ROOT}`,
    '--pidfile=/var/run/system-docker.pid',
    '--group=root',
    // System containers use the host network: no bridge, no NAT rules of its own.
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--userland-proxy=false',
    '--log-level=warn',
    // If this daemon dies, the console and the user Docker keep running while
    // PID 1 restarts it; without it dockerd kills them on its next start.
    '--live-restore',
    ...daemonArgs(cfg),
  ];
}

export function systemDockerEnv(base: Record<string, string>, cfg: DockerDaemonConfig = {}): Record<string, string> {
  // No DOCKER_RAMDISK: the root is a real mount that runc can pivot_root out
  // of (docs/architecture.md, "The root file system").
  const env: Record<string, string> = { ...base };
  for (const kv of cfg.environment ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

export interface SystemDockerProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startSystemDocker(cfg: DockerDaemonConfig, env: Record<string, string>): SystemDockerProcess {
  mkdirSync('/var/log', { recursive: true });
  mkdirSync(SYSTEM_DOCKER_ROOT, { recursive: true });
  const out = openSync(SYSTEM_DOCKER_LOG, 'a');
  // with-containerd execs dockerd: the child's pid is dockerd's.
  const child = spawnOwned(WITH_CONTAINERD, ['dockerd', ...systemDockerArgs(cfg)], {
    env: systemDockerEnv(env, cfg),
    stdio: ['ignore', out, out],
    detached: true, // own process group, so a console ^C never reaches it
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: -1, signal: null }));
  });
  return { child, exited };
}

/**
 * Pure: the lines of dockerd's log that say why it stopped, the last `max` of
 * them; its last lines when none says (dockerd prints some fatal errors bare).
 */
export function whyDockerdStopped(log: string, max = 3): string[] {
  const all = log.split('\n').filter((l) => l.trim() !== '');
  const errors = all.filter((l) => /level=(fatal|error)|^panic:|failed to start/.test(l));
  return (errors.length > 0 ? errors : all).slice(-max);
}

export async function waitSystemDocker(proc: SystemDockerProcess, timeoutMs: number): Promise<void> {
  let alive = true;
  let exit = '';
  void proc.exited.then(({ code, signal }) => {
    alive = false;
    exit = signal ? `killed by ${signal}` : `exit ${code}`;
  });
  try {
    await waitForDocker(SYSTEM_DOCKER_SOCK, timeoutMs, () => alive);
  } catch (err) {
    // What the recovery shell shows first: dockerd's own reason, not only that it is gone.
    let why: string[] = [];
    try { why = whyDockerdStopped(readFileSync(SYSTEM_DOCKER_LOG, 'utf8').slice(-65536)); } catch { /* no log yet */ }
    const detail = [exit && `dockerd ${exit}`, ...why].filter(Boolean).join('; ');
    throw new Error(`${(err as Error).message}${detail ? ` (${detail}; all of it in ${SYSTEM_DOCKER_LOG})` : ''}`, { cause: err });
  }
}
