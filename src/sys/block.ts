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
export function blankness(device: string): 'blank' | 'data' | 'too-small' {
  const head = readHead(device, 1 << 20);
  if (head.length < 1 << 20) return 'too-small';
  return isAllZero(head) ? 'blank' : 'data';
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

/**
 * Resolves `LABEL=x` or a /dev path to an existing device, or null. A caller
 * that asks again and again while it waits for a disk passes `checked`: a
 * device read once (another label, or no medium) is not read again, since
 * each read of an emulated drive costs PID 1 tens of milliseconds.
 */
export function resolveDevice(spec: string, checked?: Set<string>): string | null {
  if (spec.startsWith('LABEL=')) {
    const label = spec.slice('LABEL='.length);
    for (const dev of blockDevices()) {
      if (checked?.has(dev)) continue;
      try {
        if (extLabel(readHead(dev, 2048)) === label) return dev;
        checked?.add(dev);
      } catch (err) {
        // An empty CD drive; other errors may pass (a disk still settling): read it again next time.
        if ((err as NodeJS.ErrnoException).code === 'ENOMEDIUM') checked?.add(dev);
      }
    }
    return null;
  }
  return existsSync(spec) ? spec : null;
}

/** Pure: the volume id of an ISO 9660 filesystem (primary volume descriptor at 32 KiB), or null. */
export function isoLabel(head: Buffer): string | null {
  const pvd = 0x8000;
  if (head.length < pvd + 72) return null;
  if (head[pvd] !== 1 || head.toString('latin1', pvd + 1, pvd + 6) !== 'CD001') return null;
  return head.toString('latin1', pvd + 40, pvd + 72).trimEnd();
}

/** Pure: the label of a FAT12/16/32 boot sector, or null. */
export function fatLabel(head: Buffer): string | null {
  if (head.length < 512 || head[510] !== 0x55 || head[511] !== 0xaa) return null;
  // FAT32 keeps its extended BPB (signature 0x29 at 0x42) further in than FAT12/16 (at 0x26).
  for (const [sig, label, fsType] of [[0x42, 0x47, 0x52], [0x26, 0x2b, 0x36]] as const) {
    if (head[sig] === 0x29 && head.toString('latin1', fsType, fsType + 3) === 'FAT') {
      return head.toString('latin1', label, label + 11).trimEnd();
    }
  }
  return null;
}

export interface LabelledFs {
  device: string;
  fstype: 'iso9660' | 'vfat' | 'ext4';
  label: string;
}

/** Pure: which filesystem (with a label) the first 36 KiB of a device hold. */
export function identifyFs(head: Buffer): Omit<LabelledFs, 'device'> | null {
  const ext = extLabel(head);
  if (ext !== null) return { fstype: 'ext4', label: ext };
  const iso = isoLabel(head);
  if (iso !== null) return { fstype: 'iso9660', label: iso };
  const fat = fatLabel(head);
  if (fat !== null) return { fstype: 'vfat', label: fat };
  return null;
}

/** Every device carrying a filesystem labelled `label` (case-insensitive, as vfat labels are upper case). */
export function findByLabel(label: string): LabelledFs[] {
  const out: LabelledFs[] = [];
  for (const device of blockDevices()) {
    try {
      const fs = identifyFs(readHead(device, 36 * 1024));
      if (fs && fs.label.toLowerCase() === label.toLowerCase()) out.push({ device, ...fs });
    } catch {
      /* unreadable, e.g. an empty cdrom drive */
    }
  }
  return out;
}

/** Every device carrying a filesystem of this type, whatever its label. */
export function findByType(fstype: LabelledFs['fstype']): LabelledFs[] {
  const out: LabelledFs[] = [];
  for (const device of blockDevices()) {
    try {
      const fs = identifyFs(readHead(device, 36 * 1024));
      if (fs?.fstype === fstype) out.push({ device, ...fs });
    } catch {
      /* unreadable, e.g. an empty cdrom drive */
    }
  }
  return out;
}

/**
 * Controllers whose disks can appear after their driver has loaded, each with
 * where sysfs lists its devices. The disks of the others (virtio, SATA, IDE,
 * SCSI HBAs) are probed when their module loads: finit_module returns after
 * the driver's probe and the async scans it scheduled (docs/architecture.md,
 * "Waiting for the state disk").
 */
export const LATE_DISK_CONTROLLERS: ReadonlyArray<{ what: string; dir: string }> = [
  { what: 'NVMe', dir: '/sys/class/nvme' }, // namespaces are scanned by a work item after the probe
  { what: 'USB', dir: '/sys/bus/usb/devices' }, // hubs enumerate, usb-storage waits for the device to settle
  { what: 'MMC/SD', dir: '/sys/class/mmc_host' }, // card detection is a work item
  { what: 'Hyper-V', dir: '/sys/bus/vmbus/devices' }, // the host offers its disks over VMBus
  { what: 'Xen', dir: '/sys/bus/xen/devices' }, // a disk connects when its backend does, through XenStore
];

/** The kinds of LATE_DISK_CONTROLLERS this machine has. */
export function lateDiskControllers(sysRoot = ''): string[] {
  return LATE_DISK_CONTROLLERS.filter(({ dir }) => {
    try {
      return readdirSync(`${sysRoot}${dir}`).length > 0;
    } catch {
      return false;
    }
  }).map(({ what }) => what);
}
