// Pure: whether `ros install` may take a disk, and what to say when it may not.
import { identifyFs } from '../sys/block';
import type { DiskInfo } from '../sys/disk';
import { readMbr } from './mbr';

/** Room for the kernel and initrd twice over (an upgrade keeps the old pair) plus a little state. */
export const MIN_DISK_BYTES = 1024 ** 3;

/** Pure: a few words on what the first MiB of a disk holds. */
export function describeContents(head: Buffer): string {
  const fs = identifyFs(head);
  if (fs) return `an ${fs.fstype} filesystem${fs.label ? ` labelled ${fs.label}` : ''}`;
  const parts = readMbr(head);
  if (parts.length > 0) return `a partition table with ${parts.length} partition${parts.length === 1 ? '' : 's'}`;
  if (head.length >= 1024 && head.toString('latin1', 512, 520) === 'EFI PART') return 'a GPT partition table';
  return 'non-zero data in its first MiB';
}

export interface DiskFacts {
  device: string;
  info: DiskInfo;
  /** Mount points of the disk or its partitions. */
  mounted: string[];
  /** The first MiB is all zeros. */
  blank: boolean;
  head: Buffer;
}

/** Pure: null when the disk may be installed to, else why not (a whole sentence). */
export function refusal(f: DiskFacts, force: boolean): string | null {
  const { device, info } = f;
  if (info.isPartition) return `${device} is a partition; name the whole disk (ros install makes its own partition)`;
  if (info.readOnly) return `${device} is read-only`;
  if (info.bytes < MIN_DISK_BYTES) {
    return `${device} is ${(info.bytes / 1048576).toFixed(0)} MiB; ros needs at least ${MIN_DISK_BYTES / 1048576} MiB`;
  }
  // Even -f does not erase a disk in use: that would pull the running system's state from under it.
  if (f.mounted.length > 0) return `${device} is in use (mounted on ${f.mounted.join(', ')}); ros install never erases a mounted disk`;
  if (!f.blank && !force) {
    return `${device} holds ${describeContents(f.head)}; ros install erases the whole disk, so it only does that with -f`;
  }
  return null;
}
