// Whole disks as `ros install` sees them: size, partitions, whether anything
// on them is mounted, and making the kernel (and /dev) see a new partition table.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseMounts } from './mount';
import { runTool } from './run-tool';

const sysBlock = (name: string) => `/sys/class/block/${name}`;

function readSys(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

export interface DiskInfo {
  /** Kernel name, e.g. vda. */
  name: string;
  bytes: number;
  readOnly: boolean;
  /** True for a partition (vda1) rather than a whole disk. */
  isPartition: boolean;
  /** Kernel names of its partitions. */
  partitions: string[];
}

/** What the kernel says of a block device path, or an error naming what is wrong with it. */
export function diskInfo(device: string): DiskInfo {
  if (!existsSync(device)) throw new Error(`${device} does not exist`);
  if (!statSync(device).isBlockDevice()) throw new Error(`${device} is not a block device`);
  const name = basename(device);
  const sectors = readSys(`${sysBlock(name)}/size`);
  if (sectors === null) throw new Error(`${device}: the kernel has no ${sysBlock(name)} for it`);
  const partitions = readdirSync(sysBlock(name)).filter((n) => n.startsWith(name) && existsSync(`${sysBlock(name)}/${n}/partition`));
  return {
    name,
    bytes: Number(sectors) * 512,
    readOnly: readSys(`${sysBlock(name)}/ro`) === '1',
    isPartition: existsSync(`${sysBlock(name)}/partition`),
    partitions,
  };
}

/** Pure: the mount points whose source is `disk` or one of its partitions. */
export function mountsOf(mountsText: string, disk: string, partitions: string[]): string[] {
  const names = new Set([disk, ...partitions].map((n) => `/dev/${n}`));
  return parseMounts(mountsText).filter((m) => names.has(m.source)).map((m) => m.target);
}

/** Pure: the devices of /proc/swaps that are `disk` or one of its partitions. */
export function swapsOf(swapsText: string, disk: string, partitions: string[]): string[] {
  const names = new Set([disk, ...partitions].map((n) => `/dev/${n}`));
  return swapsText.split('\n').slice(1).map((l) => l.split(/\s+/)[0] ?? '').filter((d) => names.has(d));
}

/** Where the disk is in use: mount points in this mount namespace and in PID 1's (the host's, seen from the console), and swap. */
export function mountedParts(info: DiskInfo): string[] {
  const found = new Set<string>();
  for (const file of ['/proc/self/mounts', '/proc/1/mounts']) {
    const text = readSys(file);
    if (text) for (const m of mountsOf(text, info.name, info.partitions)) found.add(m);
  }
  for (const d of swapsOf(readSys('/proc/swaps') ?? '', info.name, info.partitions)) found.add(`swap (${d})`);
  return [...found];
}

/** Asks the kernel to read the partition table again (BLKRRPART through busybox blockdev). */
export function rereadPartitions(device: string): void {
  runTool('blockdev', ['--rereadpt', device]);
}

/**
 * Waits for partition `n` of `disk` to appear in sysfs, then makes sure /dev has
 * its node: a container's /dev is a copy made at start, so a new partition
 * shows up in sysfs but not there.
 */
export async function partitionNode(disk: string, n: number, timeoutMs = 10_000): Promise<string> {
  const base = basename(disk);
  const name = /\d$/.test(base) ? `${base}p${n}` : `${base}${n}`;
  const deadline = Date.now() + timeoutMs;
  let devno = readSys(`${sysBlock(name)}/dev`);
  while (devno === null) {
    if (Date.now() > deadline) throw new Error(`partition ${name} did not appear in ${sysBlock('')} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
    devno = readSys(`${sysBlock(name)}/dev`);
  }
  const node = `/dev/${name}`;
  if (!existsSync(node)) {
    const [major = '', minor = ''] = devno.split(':');
    runTool('mknod', ['-m', '0660', node, 'b', major, minor]);
  }
  return node;
}
