// Ordered shutdown, a list run by the boot's runner: user containers, then
// system services, each daemon's in reverse dependency order of what is
// running (not of what the config says now), system-docker, every remaining
// process, sync, unmount, reboot(2). Each step has a time limit, and a
// watchdog forces the reboot if the whole takes too long. docs/architecture.md, "PID 1's other duties".
import { readFileSync } from 'node:fs';
import type { Logger } from '../log/logger';
import { systemDocker, userDocker } from '../docker/clients';
import { stopRunning } from '../services/stop';
import { mounts, umount, mount, MS, MNT_DETACH } from '../sys/mount';
import { rebootSyscall, sync, type PowerAction } from '../sys/system';
import type { BootContext } from './context';
import { runStages } from './run-stages';
import type { Stage } from './stage';
import { milestone } from './milestones';
import { SYSTEM_CONTAINERD_KEEPER } from './system-docker';

const KEEP_MOUNTED = new Set(['/', '/proc', '/sys', '/dev', '/dev/pts', '/run']);

let inProgress = false;

export function shutdownInProgress(): boolean {
  return inProgress;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function stopSystemDocker(ctx: BootContext): Promise<void> {
  const proc = ctx.systemDocker;
  const running = () => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null;
  if (!running()) return;
  proc?.child.kill('SIGTERM');
  await Promise.race([proc?.exited, sleep(20_000)]);
  if (running()) {
    ctx.log.warn('shutdown: system-docker still runs 20 s after SIGTERM: SIGKILL');
    proc?.child.kill('SIGKILL');
  }
  await stopSystemContainerd(ctx.log);
}

/** dockerd given --containerd leaves its containerd running: its keeper stops it, and is waited for. */
async function stopSystemContainerd(log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(SYSTEM_CONTAINERD_KEEPER, 'utf8').trim());
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // no keeper, or gone already
  }
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  log.warn(`shutdown: the system containerd still runs 10 s after SIGTERM`);
}

async function killEverything(log: Logger): Promise<void> {
  // kill(-1) from PID 1 reaches every process but init itself.
  for (const [sig, wait] of [['SIGTERM', 2000], ['SIGKILL', 500]] as const) {
    try {
      process.kill(-1, sig);
    } catch {
      return; // ESRCH: nothing left
    }
    log.debug(`shutdown: sent ${sig} to all processes`);
    await sleep(wait);
  }
}

function unmountAll(log: Logger): void {
  const targets = mounts().map((m) => m.target).filter((t) => !KEEP_MOUNTED.has(t)).reverse();
  for (const target of targets) {
    try {
      umount(target);
    } catch {
      try {
        mount({ source: null, target, fstype: null, flags: MS.REMOUNT | MS.RDONLY });
      } catch {
        try { umount(target, MNT_DETACH); } catch (err) { log.debug(`umount ${target}: ${(err as Error).message}`); }
      }
    }
  }
}

/** The shutdown, in order, run by the boot's runner; every step only warns, so the next always runs. */
export const SHUTDOWN: Stage[] = [
  { name: 'user-containers', needs: [], onError: 'warn', timeoutMs: 30_000, tasks: [{ name: 'stop-user-containers', run: (ctx) => stopRunning(userDocker(), ctx.log) }] },
  { name: 'system-services', needs: ['user-containers'], onError: 'warn', timeoutMs: 30_000, tasks: [{ name: 'stop-system-services', run: (ctx) => stopRunning(systemDocker(), ctx.log) }] },
  { name: 'system-docker', needs: ['system-services'], onError: 'warn', timeoutMs: 25_000, tasks: [{ name: 'stop-system-docker', run: stopSystemDocker }] },
  { name: 'processes', needs: ['system-docker'], onError: 'warn', tasks: [{ name: 'kill-all', run: (ctx) => killEverything(ctx.log) }] },
  { name: 'filesystems', needs: ['processes'], onError: 'warn', tasks: [{ name: 'sync-unmount', run: (ctx) => { sync(); unmountAll(ctx.log); } }] },
];

export async function shutdown(ctx: BootContext, action: PowerAction, reason: string, timeoutSec = ctx.config.rancher?.shutdown_timeout ?? 60): Promise<void> {
  if (inProgress) {
    ctx.log.info(`shutdown already in progress; ignoring ${reason}`);
    return;
  }
  inProgress = true;
  const t0 = Date.now();
  const finish = (forced: boolean) => {
    sync();
    milestone('shutdown-complete', { reason, action, ...(forced ? { forced: 'true' } : {}) }, undefined, { afterShell: true });
    rebootSyscall(action);
  };
  const watchdog = setTimeout(() => {
    ctx.log.error(`shutdown took longer than ${timeoutSec} s: forcing ${action}`);
    finish(true);
  }, timeoutSec * 1000);
  milestone('shutdown-start', { reason, action }, undefined, { afterShell: true });
  ctx.log.info(`shutdown (${action}) requested by ${reason}`);
  await runStages(SHUTDOWN, ctx);
  clearTimeout(watchdog);
  ctx.log.info(`shutdown: done in ${Date.now() - t0} ms`);
  finish(false);
}
