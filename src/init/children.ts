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
