// Children PID 1 spawns itself. libuv reaps them with waitpid(pid); the
// reaper must leave them alone or their 'exit' events never fire.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const owned = new Set<number>();

export function ownedPids(): ReadonlySet<number> {
  return owned;
}

/** spawn() that registers the pid before anything can await. */
export function spawnOwned(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  const child = spawn(cmd, args, opts);
  // Register synchronously: the reaper runs on the same thread, so it cannot
  // see the zombie before this line.
  if (child.pid !== undefined) {
    const pid = child.pid;
    owned.add(pid);
    child.once('exit', () => owned.delete(pid));
  }
  return child;
}

export interface Captured {
  /** Exit code; -1 when the program could not be started or died of a signal. */
  code: number;
  /** stdout and stderr together. */
  out: string;
}

/** Runs a program to completion and returns its exit code and output; never rejects. */
export function runCaptured(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Captured> {
  return new Promise((resolve) => {
    const child = spawnOwned(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', (err) => resolve({ code: -1, out: err.message }));
    child.once('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}
