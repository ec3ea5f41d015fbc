// The root image out of RAM (docs/architecture.md, "The root file system").
// The early /init mounts the initrd's root image, which lives in RAM for as
// long as the loop device holds it (112 MiB). With a state disk, the image is
// copied there once per release, and the loop device is switched to the copy
// (LOOP_CHANGE_FD: same bytes, same size, the mounted root never notices), so
// the RAM copy is freed. The build names the image by its SHA-256, so a copy
// on the disk with that name is this release's image.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, statfsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../../log/logger';
import { ROOT_IMAGE_DIR } from '../../config/paths';
import { commitFile } from '../../sys/atomic-write';
import { changeLoopBacking, loopDevices, type LoopDevice } from '../../sys/loop';
import { runCaptured } from '../children';
import type { Task } from '../stage';

/** What the build names the image in the initrd (initramfs/build.ts). */
const IN_INITRD = /^\/root-[0-9a-f]{64}\.sqsh$/;
/** Left free on the state disk after the copy: the image must never be what fills it. */
const SPARE_BYTES = 256 * 1024 ** 2;
/** Compared at both ends of a copy found on the disk: the squashfs superblock is at the start, the tables at the end. */
const CHECK_BYTES = 64 * 1024;

/** Pure: the loop device still reading the initrd's root image (unlinked by switch_root), if any. */
export function ramRootImage(loops: LoopDevice[]): LoopDevice | null {
  return loops.find((l) => l.deleted && IN_INITRD.test(l.backingFile)) ?? null;
}

function readAt(path: string, position: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, position);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** A copy of the right size whose first and last bytes are the loop's: not a short or foreign file. */
function sameImage(loop: LoopDevice, file: string): boolean {
  if (statSync(file).size !== loop.sizeBytes) return false;
  const n = Math.min(CHECK_BYTES, loop.sizeBytes);
  return [0, loop.sizeBytes - n].every((at) => readAt(loop.device, at, n).equals(readAt(file, at, n)));
}

async function copyImage(loop: LoopDevice, target: string): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.tmp`);
  try {
    // dd, not a Node stream: 112 MiB through PID 1's heap left it ~17 MiB larger for the whole uptime.
    const r = await runCaptured('/bin/dd', [`if=${loop.device}`, `of=${tmp}`, 'bs=1M']);
    if (r.code !== 0) throw new Error(`dd ${loop.device} to ${tmp}: exit ${r.code}: ${r.out.trim()}`);
    commitFile(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Moves the root's loop device onto the state disk's copy of the image (in `dir`); true when RAM was freed. */
export async function moveRootImage(log: Logger, { dir = ROOT_IMAGE_DIR, loops = loopDevices() } = {}): Promise<boolean> {
  const loop = ramRootImage(loops);
  if (!loop) {
    log.debug('root image: no loop device reads the initrd image: nothing to move');
    return false;
  }
  if (!loop.readOnly) throw new Error(`root image: ${loop.device} is writable, and the kernel moves only a read-only loop`);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, basename(loop.backingFile));
  if (existsSync(target) && !sameImage(loop, target)) {
    log.warn(`root image: ${target} is not this image (size or contents differ): copying it again`);
    rmSync(target);
  }
  const mib = (loop.sizeBytes / 1024 ** 2).toFixed(1);
  if (!existsSync(target)) {
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < loop.sizeBytes + SPARE_BYTES) {
      log.warn(`root image: the state disk has ${(free / 1024 ** 2).toFixed(0)} MiB free, too little for a ${mib} MiB copy: the image stays in RAM`);
      return false;
    }
    log.info(`root image: copying ${mib} MiB to ${target} (once per release)`);
    await copyImage(loop, target);
    if (!sameImage(loop, target)) throw new Error(`root image: the copy ${target} differs from ${loop.device} after writing`);
  }
  changeLoopBacking(loop.device, target);
  // Images of other releases, and a copy a power cut interrupted.
  for (const f of readdirSync(dir)) {
    if (f !== basename(target)) rmSync(join(dir, f), { force: true });
  }
  log.info(`root image: read from ${target}; ${mib} MiB of RAM freed`);
  return true;
}

export const rootImage: Task = {
  name: 'root-image',
  when: (ctx) => ctx.state === 'disk',
  async run(ctx) {
    await moveRootImage(ctx.log);
  },
};
