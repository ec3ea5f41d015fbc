// Reaping orphans (tini's duty, done without waitpid(-1); docs/architecture.md, "Reaping").
// Zombies whose parent is PID 1 and that Node did not spawn are collected
// with waitpid(pid, WNOHANG), on SIGCHLD and on a timer. Only PID 1's own
// children are looked at: a scan of all of /proc cost PID 1 ~0.5 s of CPU
// before system-docker-ready under emulation.
import type { Logger } from '../log/logger';
import { childProcesses, type ProcStat } from '../sys/proc';
import { reapPid } from '../sys/system';
import { ownedPids } from './children';

/** Pure: which pids are ours to reap. */
export function pidsToReap(procs: ProcStat[], owned: ReadonlySet<number>, self = 1): number[] {
  return procs.filter((p) => p.state === 'Z' && p.ppid === self && !owned.has(p.pid)).map((p) => p.pid);
}

export function reapOnce(log: Logger): number {
  let count = 0;
  const procs = childProcesses(process.pid);
  for (const pid of pidsToReap(procs, ownedPids(), process.pid)) {
    // A zombie's /proc/<pid>/cmdline is empty; its comm (from stat) is what is left of its name.
    const comm = procs.find((p) => p.pid === pid)?.comm ?? '?';
    try {
      const res = reapPid(pid);
      if (res) {
        count++;
        log.debug({ pid, code: res.code, signal: res.signal, comm }, `reaped orphan ${pid} (${comm})`);
      }
    } catch (err) {
      log.debug({ pid, err }, `reap ${pid}: ${(err as Error).message}`);
    }
  }
  return count;
}

/** Starts reaping; returns a function that stops it. */
export function startReaper(getLog: () => Logger, intervalMs = 2000): () => void {
  let queued = false;
  const run = () => {
    queued = false;
    try {
      reapOnce(getLog());
    } catch (err) {
      getLog().warn({ err }, 'reaper: scan failed');
    }
  };
  // Coalesce SIGCHLD storms into one scan per tick.
  const onChld = () => {
    if (queued) return;
    queued = true;
    setImmediate(run);
  };
  process.on('SIGCHLD', onChld);
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => {
    process.off('SIGCHLD', onChld);
    clearInterval(timer);
  };
}
