// `ros install`: the A/B layout of docs/architecture.md, "The disk" — an EFI
// system partition, and RANCHER_STATE holding the boot slots, GRUB's config
// and environment, and the state. GRUB (grub-install) boots it with BIOS and
// UEFI firmware alike. Every check runs before the first write; the disk is
// only touched once the cloud-config validated, the media was found and the
// disk may be erased.
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { atomicWrite } from '../sys/atomic-write';
import { findByLabel, isAllZero, readHead } from '../sys/block';
import { diskInfo, mountedParts, partitionNode, rereadPartitions } from '../sys/disk';
import { mount, umount } from '../sys/mount';
import { sync } from '../sys/system';
import { INSTALLED_USER_DATA, STATE_LABEL } from '../config/paths';
import { runTool } from '../sys/run-tool';
import { installCmdline } from './boot-config';
import { GRUB_DIR, grubCfg, slotDir } from '../upgrade/grub-cfg';
import { encodeManifest, makeManifest, type Manifest } from '../upgrade/manifest';
import { writeSlotEnv } from '../upgrade/slot-files';
import { commit, version } from '../version';
import { refusal } from './checks';
import { abLayout, buildMbr, SECTOR } from './mbr';
import { openMedia, type Media } from './media';

const MiB = 1 << 20;
/** The FAT label of the EFI system partition (11 characters at most). */
const ESP_LABEL = 'ROS_EFI';

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

/** Erases old signatures (GPT keeps a backup at the end) and writes the new MBR; grub-install adds its boot code. */
function partition(device: string, bytes: number): void {
  const fd = openSync(device, 'r+');
  try {
    zero(fd, 0, MiB);
    if (bytes > 2 * MiB) zero(fd, bytes - MiB, MiB);
    writeSync(fd, buildMbr(Buffer.alloc(0), abLayout(bytes)), 0, SECTOR, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Copies with fsync, reporting every quarter for the big files; returns the sha256 of what it wrote. */
function copyFile(from: string, to: string, progress: (l: string) => void): string {
  const h = createHash('sha256');
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
      h.update(buf.subarray(0, n));
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
  return h.digest('hex');
}

/** Slot a gets the media's kernel and initrd, and a manifest saying which version they are. */
function fillSlotA(root: string, media: Media, progress: (l: string) => void): void {
  const dir = join(root, slotDir('a'));
  mkdirSync(dir, { recursive: true });
  const parts = {} as Manifest['parts'];
  for (const [from, name] of [[media.kernel, 'vmlinuz'], [media.initrd, 'initrd.img']] as const) {
    progress(`copying ${name} (${(statSync(from).size / MiB).toFixed(1)} MiB) to slot a`);
    parts[name] = { size: statSync(from).size, sha256: copyFile(from, join(dir, name), progress) };
  }
  atomicWrite(join(dir, 'manifest.json'), encodeManifest(makeManifest(version, commit, new Date(), parts)));
}

/** GRUB for both firmwares: boot.img + core.img (BIOS, in the gap before the ESP) and BOOTX64.EFI on the ESP. */
function installGrub(device: string, root: string, esp: string, cmdline: string, progress: (l: string) => void): void {
  atomicWrite(join(root, GRUB_DIR, 'grub.cfg'), grubCfg(cmdline));
  writeSlotEnv(root, { default: 'a', trial: null, trialBooted: false });
  const boot = join(root, 'boot');
  progress('installing GRUB for BIOS');
  runTool('grub-install', ['--target=i386-pc', `--boot-directory=${boot}`, '--no-floppy', device]);
  progress('installing GRUB for UEFI');
  // --removable: EFI/BOOT/BOOTX64.EFI, which firmware finds without a boot entry in NVRAM.
  runTool('grub-install', ['--target=x86_64-efi', `--efi-directory=${esp}`, `--boot-directory=${boot}`, '--removable', '--no-nvram']);
}

function saveCloudConfig(root: string, cloudConfig: string, progress: (l: string) => void): void {
  // The datasource stage takes only documents that say what they are.
  const text = cloudConfig.startsWith('#cloud-config') ? cloudConfig : `#cloud-config\n${cloudConfig}`;
  atomicWrite(join(root, INSTALLED_USER_DATA), text, 0o600);
  progress(`cloud-config saved as ${INSTALLED_USER_DATA}; it is applied on the first boot`);
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
    progress(`installing ros v${version} from ${media.from} to ${device} (${(info.bytes / 1024 ** 3).toFixed(1)} GiB)`);
    progress(`partitioning ${device}: an EFI system partition, then RANCHER_STATE to the end`);
    partition(device, info.bytes);
    rereadPartitions(device);
    const espPart = await partitionNode(device, 1);
    const statePart = await partitionNode(device, 2);
    progress(`formatting ${espPart} as FAT32 labelled ${ESP_LABEL}`);
    runTool('mkfs.fat', ['-F', '32', '-n', ESP_LABEL, espPart]);
    progress(`formatting ${statePart} as ext4 labelled ${STATE_LABEL}`);
    runTool('mkfs.ext4', ['-q', '-F', '-L', STATE_LABEL, statePart]);
    const root = mkdtempSync('/tmp/ros-install-');
    const esp = mkdtempSync('/tmp/ros-install-esp-');
    mount({ source: statePart, target: root, fstype: 'ext4', flags: 0, data: null });
    try {
      // Debian's FAT default iocharset is ascii (nls_ascii, not loaded); the boot loads these two.
      mount({ source: espPart, target: esp, fstype: 'vfat', flags: 0, data: 'codepage=437,iocharset=iso8859-1' });
      try {
        fillSlotA(root, media, progress);
        installGrub(device, root, esp, cmdline, progress);
        if (opts.cloudConfig !== null) saveCloudConfig(root, opts.cloudConfig, progress);
      } finally {
        sync();
        umount(esp);
      }
    } finally {
      sync();
      umount(root);
      rmSync(root, { recursive: true, force: true });
      rmSync(esp, { recursive: true, force: true });
    }
  } finally {
    media.release();
  }
  progress(`done: ${device} boots ros on its own (kernel command line: ${cmdline})`);
  progress('remove the install media and reboot');
}
