// Where `ros install` takes the kernel and initrd from: a directory, a device
// holding the ros ISO, or (by default) whichever device carries the ISO's label.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findByLabel, identifyFs, readHead, type LabelledFs } from '../sys/block';
import { MS, mount, umount } from '../sys/mount';
import { BOOT_DIR, INITRD_FILE, KERNEL_FILE } from './boot-config';

/** Volume id of dist/ros.iso (initramfs/iso.ts writes it). */
export const ISO_LABEL = 'ROS';

export interface Media {
  kernel: string;
  initrd: string;
  /** Where it came from, for messages. */
  from: string;
  release(): void;
}

function filesIn(dir: string, from: string, release: () => void): Media {
  const kernel = join(dir, BOOT_DIR, KERNEL_FILE);
  const initrd = join(dir, BOOT_DIR, INITRD_FILE);
  for (const f of [kernel, initrd]) {
    if (!existsSync(f)) {
      release();
      throw new Error(`${from} has no ${f.slice(dir.length + 1)}: is it ros install media?`);
    }
  }
  return { kernel, initrd, from, release };
}

function mountDevice(device: string, known?: LabelledFs['fstype']): Media {
  const fstype = known ?? identifyFs(readHead(device, 36 * 1024))?.fstype;
  if (!fstype) throw new Error(`${device} holds no ISO 9660, FAT or ext4 filesystem`);
  const dir = mkdtempSync('/tmp/ros-media-');
  try {
    mount({ source: device, target: dir, fstype, flags: MS.RDONLY, data: null });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mounting ${device} (${fstype}): ${(err as Error).message}`, { cause: err });
  }
  return filesIn(dir, device, () => {
    try {
      umount(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The kernel and initrd to install; call release() when done. */
export function openMedia(spec: string | undefined): Media {
  if (spec) {
    if (!existsSync(spec)) throw new Error(`--media ${spec} does not exist`);
    return statSync(spec).isDirectory() ? filesIn(spec, spec, () => {}) : mountDevice(spec);
  }
  const found = findByLabel(ISO_LABEL);
  if (found.length === 0) {
    throw new Error(`no install media: attach the ros ISO (volume label ${ISO_LABEL}) or name a directory or device with --media`);
  }
  return mountDevice(found[0]!.device, found[0]!.fstype);
}
