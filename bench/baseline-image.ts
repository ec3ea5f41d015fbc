// The baseline `make bench` measures ros against: ros' own initrd with its
// /init replaced by bench/baseline-init.sh (a few lines of busybox sh that
// start one dockerd) and without what only ros reads (ROS_ONLY: the ros
// binary, its images, catalogue and defaults), packed with lz4. Same kernel,
// same dockerd, containerd, runc, modules and libraries: what is left is "a
// kernel and Docker", the least any system built from this image pays before
// Docker answers. Built once per initrd (the file name holds its hash, with
// the script's); older ones are removed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { S_IFREG, readCpio, writeCpio, type CpioEntry } from '../initramfs/lib/cpio';

const INIT_SCRIPT = new URL('./baseline-init.sh', import.meta.url);

export interface BaselineImage {
  path: string;
  /** False when an image of this initrd was already there. */
  built: boolean;
}

/** Paths of the initrd only ros reads; a baseline with them would charge ros' own weight to "Docker". */
export const ROS_ONLY = ['usr/bin/ros', 'usr/share/ros'];

const rosOnly = (name: string) => ROS_ONLY.some((p) => name === p || name.startsWith(`${p}/`));

/** Pure: ros' entries without ROS_ONLY, /init replaced by `init` (a regular file, 0755). */
export function baselineEntries(entries: readonly CpioEntry[], init: Buffer): CpioEntry[] {
  if (!entries.some((e) => e.name === 'init')) throw new Error('the initrd has no /init to replace');
  return entries.filter((e) => !rosOnly(e.name)).map((e) => (e.name === 'init' ? { name: 'init', mode: S_IFREG | 0o755, data: init } : e));
}

/** build/bench/baseline-<hash of initrd and script>.img, built when missing. */
export function ensureBaselineImage(initrd: string, outDir: string): BaselineImage {
  const script = readFileSync(INIT_SCRIPT);
  const hash = createHash('sha256').update(readFileSync(initrd)).update(script).update(ROS_ONLY.join('\n')).digest('hex').slice(0, 16);
  const path = join(outDir, `baseline-${hash}.img`);
  if (existsSync(path)) return { path, built: false };
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (/^baseline-.*\.(img|cpio)$/.test(f)) rmSync(join(outDir, f));

  const cpio = execFileSync('zstd', ['-dc', initrd], { maxBuffer: 2 ** 31 });
  const cpioPath = join(outDir, `baseline-${hash}.cpio`);
  const fd = openSync(cpioPath, 'w');
  try {
    writeCpio(baselineEntries(readCpio(cpio), script), (b) => void writeSync(fd, b));
  } finally {
    closeSync(fd);
  }
  // The kernel reads lz4's legacy frame format only (-l).
  execFileSync('lz4', ['-q', '-l', '-9', '-f', cpioPath, `${path}.tmp`]);
  rmSync(cpioPath);
  renameSync(`${path}.tmp`, path);
  return { path, built: true };
}
