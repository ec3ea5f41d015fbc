// Block devices: finding them by path or label, and telling a blank disk
// from one that holds anything. Reads only; formatting is mkfs' job.
import { closeSync, existsSync, openSync, readSync, readdirSync } from 'node:fs';

export const EXT_MAGIC = 0xef53;
const SUPERBLOCK = 1024;

/** Pure: the ext2/3/4 volume label from the first 2 KiB of a device, or null if not ext*. */
export function extLabel(head: Buffer): string | null {
  if (head.length < SUPERBLOCK + 0x88) return null;
  if (head.readUInt16LE(SUPERBLOCK + 0x38) !== EXT_MAGIC) return null;
  const raw = head.subarray(SUPERBLOCK + 0x78, SUPERBLOCK + 0x88);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** Pure: every byte zero. */
export function isAllZero(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

export function readHead(device: string, bytes: number): Buffer {
  const fd = openSync(device, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    let off = 0;
    while (off < bytes) {
      const n = readSync(fd, buf, off, bytes - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** A disk is blank when its first MiB is zero: the only kind ros will ever format. */
export function isBlank(device: string): boolean {
  const head = readHead(device, 1 << 20);
  return head.length === 1 << 20 && isAllZero(head);
}

/** /dev paths of every block device the kernel knows (disks and partitions). */
export function blockDevices(): string[] {
  try {
    return readdirSync('/sys/class/block')
      .filter((n) => !/^(loop|ram|zram)\d/.test(n))
      .map((n) => `/dev/${n}`)
      .filter((p) => existsSync(p));
  } catch {
    return [];
  }
}

/** Resolves `LABEL=x` or a /dev path to an existing device, or null. */
export function resolveDevice(spec: string): string | null {
  if (spec.startsWith('LABEL=')) {
    const label = spec.slice('LABEL='.length);
    for (const dev of blockDevices()) {
      try {
        if (extLabel(readHead(dev, 2048)) === label) return dev;
      } catch {
        /* unreadable (e.g. empty cdrom) */
      }
    }
    return null;
  }
  return existsSync(spec) ? spec : null;
}
