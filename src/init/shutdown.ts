// Ordered shutdown: user containers, then system services, each daemon's in
// reverse dependency order of what is running (not of what the config says
// now), system-docker, every remaining process, sync, unmount, reboot(2). A
// watchdog forces the reboot if any step hangs. docs/architecture.md, "PID 1's other duties".
import type { Logger } from '../log/logger';
import { systemDocker, userDocker } from '../docker/clients';
import { stopRunning } from '../services/stop';
import { mounts, umount, mount, MS, MNT_DETACH } from '../sys/mount';
import { rebootSyscall, sync, type PowerAction } from '../sys/system';
import type { BootContext } from './context';
import { milestone } from './milestones';

const KEEP_MOUNTED = new Set(['/', '/proc', '/sys', '/dev', '/dev/pts', '/run']);

let inProgress = false;

export function shutdownInProgress(): boolean {
  return inProgress;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withTimeout<T>(what: string, ms: number, p: Promise<T>, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`timed out after ${ms / 1000} s`)), ms)))]);
  } catch (err) {
    log.warn(`shutdown: ${what}: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

async function stopSystemDocker(ctx: BootContext): Promise<void> {
  const proc = ctx.systemDocker;
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  await withTimeout('system-docker', 20_000, proc.exited, ctx.log);
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
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
  await withTimeout('user containers', 30_000, stopRunning(userDocker(), ctx.log), ctx.log);
  await withTimeout('system services', 30_000, stopRunning(systemDocker(), ctx.log), ctx.log);
  await stopSystemDocker(ctx);
  await killEverything(ctx.log);
  sync();
  unmountAll(ctx.log);
  clearTimeout(watchdog);
  ctx.log.info(`shutdown: done in ${Date.now() - t0} ms`);
  finish(false);
}
