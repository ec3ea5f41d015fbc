// Loop devices as sysfs shows them, and the one change PID 1 makes to a loop
// in use: giving it another backing file (docs/architecture.md, "The root file system").
import { readdirSync, readFileSync } from 'node:fs';
import { native } from './native';

export interface LoopDevice {
  /** /dev/loopN */
  device: string;
  /** The backing file's path when it was attached, without the kernel's " (deleted)". */
  backingFile: string;
  /** The backing file has been unlinked (the initramfs' files are, after switch_root). */
  deleted: boolean;
  readOnly: boolean;
  sizeBytes: number;
}

const DELETED = ' (deleted)';

/** Pure: one loop device from its sysfs values (backing_file, ro, size in 512-byte sectors). */
export function parseLoop(name: string, backingFile: string, ro: string, sectors: string): LoopDevice {
  const file = backingFile.trim();
  const deleted = file.endsWith(DELETED);
  return {
    device: `/dev/${name}`,
    backingFile: deleted ? file.slice(0, -DELETED.length) : file,
    deleted,
    readOnly: ro.trim() === '1',
    sizeBytes: Number(sectors.trim()) * 512,
  };
}

/** The loop devices that have a backing file. */
export function loopDevices(sysBlock = '/sys/block'): LoopDevice[] {
  const out: LoopDevice[] = [];
  for (const name of readdirSync(sysBlock).filter((n) => /^loop\d+$/.test(n))) {
    const read = (f: string) => readFileSync(`${sysBlock}/${name}/${f}`, 'utf8');
    let backing: string;
    try {
      backing = read('loop/backing_file');
    } catch {
      continue; // not attached: sysfs has no loop/ directory
    }
    out.push(parseLoop(name, backing, read('ro'), read('size')));
  }
  return out;
}

/**
 * Switches a read-only loop device to `file`, which must hold the same bytes
 * and size: the kernel does not compare contents, the caller must have.
 */
export function changeLoopBacking(device: string, file: string): void {
  native().loopChangeFd(device, file);
}
