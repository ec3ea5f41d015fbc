// The baseline `make bench` measures ros against: ros' own root tree (from
// the root image in its initrd) unpacked into the initramfs, with
// bench/baseline-init.sh as /init (a few lines of busybox sh that start one
// dockerd), without what only ros reads (ROS_ONLY: the ros
// binary, its images, catalogue and defaults), packed with lz4. Same kernel,
// same dockerd, containerd, runc, modules and libraries: what is left is "a
// kernel and Docker", the least any system built from this image pays before
// Docker answers. Built once per initrd (the file name holds its hash, with
// the script's); older ones are removed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { S_IFREG, readCpio, treeEntries, writeCpio, type CpioEntry } from '../initramfs/lib/cpio';

const INIT_SCRIPT = new URL('./baseline-init.sh', import.meta.url);

export interface BaselineImage {
  path: string;
  /** False when an image of this initrd was already there. */
  built: boolean;
}

/** Paths of the initrd only ros reads; a baseline with them would charge ros' own weight to "Docker". */
export const ROS_ONLY = ['usr/bin/ros', 'usr/share/ros'];

const rosOnly = (name: string) => ROS_ONLY.some((p) => name === p || name.startsWith(`${p}/`));

/** Pure: the root tree's entries without ROS_ONLY, and `init` (a regular file, 0755) as /init. */
export function baselineEntries(entries: readonly CpioEntry[], init: Buffer): CpioEntry[] {
  return [...entries.filter((e) => !rosOnly(e.name) && e.name !== 'init'), { name: 'init', mode: S_IFREG | 0o755, data: init }];
}

const isDev = (e: CpioEntry) => e.name === 'dev' || e.name.startsWith('dev/');

/**
 * The entries of ros' root tree, read from the root image inside its initrd
 * (docs/architecture.md, "The root file system"), with the initramfs' own /dev.
 */
function rootTreeEntries(initrd: string, work: string): CpioEntry[] {
  const initramfs = readCpio(readFileSync(initrd));
  const image = initramfs.find((e) => /^root-[0-9a-f]{64}\.sqsh$/.test(e.name))?.data;
  if (!image) throw new Error(`${initrd} holds no root-<sha256>.sqsh: not an initrd of this ros`);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'root.sqsh'), image);
  execFileSync('unsquashfs', ['-q', '-no-progress', '-d', join(work, 'root'), join(work, 'root.sqsh')]);
  return [...initramfs.filter(isDev), ...[...treeEntries(join(work, 'root'))].filter((e) => !isDev(e))];
}

/** build/bench/baseline-<hash of initrd and script>.img, built when missing. */
export function ensureBaselineImage(initrd: string, outDir: string): BaselineImage {
  const script = readFileSync(INIT_SCRIPT);
  const hash = createHash('sha256').update(readFileSync(initrd)).update(script).update(ROS_ONLY.join('\n')).digest('hex').slice(0, 16);
  const path = join(outDir, `baseline-${hash}.img`);
  if (existsSync(path)) return { path, built: false };
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^baseline-.*\.(img|cpio|d)$/.test(f)) rmSync(join(outDir, f), { recursive: true, force: true });

  const work = join(outDir, `baseline-${hash}.d`);
  const cpioPath = join(outDir, `baseline-${hash}.cpio`);
  const fd = openSync(cpioPath, 'w');
  try {
    writeCpio(baselineEntries(rootTreeEntries(initrd, work), script), (b) => void writeSync(fd, b));
  } finally {
    closeSync(fd);
    rmSync(work, { recursive: true, force: true });
  }
  // The kernel reads lz4's legacy frame format only (-l).
  execFileSync('lz4', ['-q', '-l', '-9', '-f', cpioPath, `${path}.tmp`]);
  rmSync(cpioPath);
  renameSync(`${path}.tmp`, path);
  return { path, built: true };
}
