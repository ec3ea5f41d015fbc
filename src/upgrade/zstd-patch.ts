// The one binary-delta tool of ros: `zstd --patch-from` (docs/architecture.md,
// "Delta bundles"). A patch is a zstd frame compressed with the base file as
// its dictionary; its window spans the whole file, so both sides need
// --long with a window log as large as the files.
import { spawn } from 'node:child_process';

/** Window log for files up to 2 GiB; the decoder allocates only what a patch needs. */
const LONG = '--long=31';

function zstd(args: string[], what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.ROS_ZSTD || 'zstd', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.once('error', (e) => reject(new Error(`${what}: cannot run zstd: ${e.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what}: zstd ${signal ?? `exited ${code}`}${err.trim() ? `: ${err.trim().split('\n').at(-1)}` : ''}`));
    });
  });
}

/** Writes the patch that turns `base` into `target`. */
export function makePatch(base: string, target: string, out: string, level = 9): Promise<void> {
  return zstd(['-q', '-f', `-${level}`, LONG, `--patch-from=${base}`, target, '-o', out], `patch ${target} from ${base}`);
}

/** Rebuilds the target from `base` and a patch. */
export function applyPatch(base: string, patch: string, out: string): Promise<void> {
  return zstd(['-q', '-f', '-d', LONG, `--patch-from=${base}`, patch, '-o', out], `apply ${patch} to ${base}`);
}
