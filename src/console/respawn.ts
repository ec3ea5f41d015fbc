// Keeping a program of the console running (a getty, sshd): start it again
// when it exits, sooner when it had been running a while (a user logged out)
// and later and later when it dies at once (a missing tty, a broken config),
// so a crash loop costs nothing but a line in the log every half minute.
import { spawn, type StdioOptions } from 'node:child_process';
import type { Logger } from '../log/logger';

/** Waits before the n-th quick restart in a row. */
export const BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000] as const;
/** A run at least this long counts as healthy: the next restart is quick again. */
export const HEALTHY_RUN_MS = 10_000;

/** Pure: how long to wait before starting again, and the new count of quick failures. */
export function nextDelay(quickFailures: number, ranForMs: number): { delayMs: number; quickFailures: number } {
  const failures = ranForMs >= HEALTHY_RUN_MS ? 0 : quickFailures + 1;
  return { delayMs: BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)] ?? 30_000, quickFailures: failures };
}

export interface Respawned {
  /** Stop restarting it and send it SIGTERM. */
  stop(): void;
}

/** Runs `cmd` for as long as the console runs. */
export function respawn(what: string, cmd: string, args: string[], stdio: StdioOptions, log: Logger): Respawned {
  let quickFailures = 0;
  let stopped = false;
  let current: ReturnType<typeof spawn> | undefined;
  const start = () => {
    const startedAt = Date.now();
    const child = spawn(cmd, args, { stdio });
    current = child;
    let done = false;
    const again = (why: string) => {
      if (done || stopped) return;
      done = true;
      const next = nextDelay(quickFailures, Date.now() - startedAt);
      quickFailures = next.quickFailures;
      if (next.quickFailures > 0) log.warn(`${what}: ${why}; starting it again in ${next.delayMs / 1000} s`);
      setTimeout(start, next.delayMs);
    };
    child.once('error', (err) => again(`${cmd}: ${err.message}`));
    child.once('exit', (code, signal) => again(`exited (${signal ?? `code ${code}`})`));
  };
  start();
  return {
    stop() {
      stopped = true;
      current?.kill('SIGTERM');
    },
  };
}
