// `ros install`: one bootable partition that is also the RANCHER_STATE disk.
// Every check runs before the first write; the disk is only touched once the
// cloud-config validated, the media was found and the disk may be erased.
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWrite } from '../sys/atomic-write';
import { findByLabel, isAllZero, readHead } from '../sys/block';
import { diskInfo, mountedParts, partitionNode, rereadPartitions } from '../sys/disk';
import { mount, umount } from '../sys/mount';
import { sync } from '../sys/system';
import { INSTALLED_USER_DATA, STATE_LABEL } from '../config/paths';
import { runTool } from '../sys/run-tool';
import { BOOT_DIR, INITRD_FILE, KERNEL_FILE, extlinuxConf, installCmdline } from './boot-config';
import { refusal } from './checks';
import { buildMbr, wholeDiskPartition, SECTOR } from './mbr';
import { openMedia, type Media } from './media';

/** syslinux' MBR boot code: finds the active partition and runs its boot sector. */
export const MBR_BIN = '/usr/lib/syslinux/mbr/mbr.bin';
const MiB = 1 << 20;

export interface InstallOptions {
  device: string;
  /** A cloud-config the caller already validated, or null. */
  cloudConfig: string | null;
  force: boolean;
  append: string;
  media?: string;
  progress(line: string): void;
}

function zero(fd: number, offset: number, bytes: number): void {
  writeSync(fd, Buffer.alloc(bytes), 0, bytes, offset);
}

/** Erases old signatures (GPT keeps a backup at the end) and writes the new MBR. */
function partition(device: string, bytes: number): void {
  const fd = openSync(device, 'r+');
  try {
    zero(fd, 0, MiB);
    if (bytes > 2 * MiB) zero(fd, bytes - MiB, MiB);
    writeSync(fd, buildMbr(readFileSync(MBR_BIN), wholeDiskPartition(bytes)), 0, SECTOR, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies with fsync, reporting every quarter for the big files. */
function copyFile(from: string, to: string, progress: (l: string) => void): void {
  const total = statSync(from).size;
  const src = openSync(from, 'r');
  const dst = openSync(to, 'w', 0o644);
  const buf = Buffer.alloc(4 * MiB);
  let done = 0;
  let nextReport = total / 4;
  try {
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, done);
      if (n === 0) break;
      writeSync(dst, buf, 0, n, done);
      done += n;
      if (total > 16 * MiB && done >= nextReport && done < total) {
        progress(`  ${(done / MiB).toFixed(0)}/${(total / MiB).toFixed(0)} MiB`);
        nextReport += total / 4;
      }
    }
    fsyncSync(dst);
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

function fillPartition(root: string, media: Media, cloudConfig: string | null, cmdline: string, progress: (l: string) => void): void {
  const boot = join(root, BOOT_DIR);
  mkdirSync(boot, { recursive: true });
  for (const [from, name] of [[media.kernel, KERNEL_FILE], [media.initrd, INITRD_FILE]] as const) {
    progress(`copying ${name} (${(statSync(from).size / MiB).toFixed(1)} MiB)`);
    copyFile(from, join(boot, name), progress);
  }
  atomicWrite(join(boot, 'extlinux.conf'), extlinuxConf(cmdline));
  progress('installing the extlinux boot loader');
  runTool('extlinux', ['--install', boot]);
  if (cloudConfig !== null) {
    // The datasource stage takes only documents that say what they are.
    const text = cloudConfig.startsWith('#cloud-config') ? cloudConfig : `#cloud-config\n${cloudConfig}`;
    atomicWrite(join(root, INSTALLED_USER_DATA), text, 0o600);
    progress(`cloud-config saved as ${INSTALLED_USER_DATA}; it is applied on the first boot`);
  }
}

export async function install(opts: InstallOptions): Promise<void> {
  const { device, progress } = opts;
  const info = diskInfo(device);
  const head = readHead(device, MiB);
  const why = refusal({ device, info, mounted: mountedParts(info), blank: head.length === MiB && isAllZero(head), head }, opts.force);
  if (why) throw new Error(why);
  const media = openMedia(opts.media);
  for (const other of findByLabel(STATE_LABEL).filter((f) => !f.device.startsWith(device))) {
    progress(`note: ${other.device} is labelled ${STATE_LABEL} too; the installed system uses the first such device it finds, so detach or relabel it`);
  }
  const cmdline = installCmdline(opts.append);
  try {
    progress(`installing ros from ${media.from} to ${device} (${(info.bytes / 1024 ** 3).toFixed(1)} GiB)`);
    progress(`partitioning ${device}: one bootable partition from 1 MiB to the end`);
    partition(device, info.bytes);
    rereadPartitions(device);
    const part = await partitionNode(device, 1);
    progress(`formatting ${part} as ext4 labelled ${STATE_LABEL}`);
    runTool('mkfs.ext4', ['-q', '-F', '-L', STATE_LABEL, part]);
    const root = mkdtempSync('/tmp/ros-install-');
    mount({ source: part, target: root, fstype: 'ext4', flags: 0, data: null });
    try {
      fillPartition(root, media, opts.cloudConfig, cmdline, progress);
    } finally {
      sync();
      umount(root);
      rmSync(root, { recursive: true, force: true });
    }
  } finally {
    media.release();
  }
  progress(`done: ${device} boots ros on its own (kernel command line: ${cmdline})`);
  progress('remove the install media and reboot');
}
