// dist/ros.iso: the live and install medium. isolinux boots the same kernel
// and initrd as `make run` (RAM state, autologin on both consoles), and
// `ros install` finds the ISO by its volume label and copies them to a disk.
// Hybrid: the same file boots from a CD or written raw to a USB stick.
import { copyFileSync, linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './lib/run';
import { BOOT_DIR, INITRD_FILE, KERNEL_FILE, extlinuxConf } from '../src/install/boot-config';
import { ISO_LABEL } from '../src/install/media';

/** The live system's kernel command line: like `make run`, on tty1 and the serial port. */
export const ISO_CMDLINE = 'console=tty1 console=ttyS0,115200n8 rancher.autologin=tty1 rancher.autologin=ttyS0';

/** Hard link when possible (same filesystem), copy otherwise: the initrd is ~100 MiB. */
function place(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

export function writeIso(opts: { dist: string; staging: string; isolinuxRoot: string; syslinuxRoot: string; out: string }): void {
  const { staging } = opts;
  rmSync(staging, { recursive: true, force: true });
  const loader = join(staging, BOOT_DIR, 'isolinux');
  mkdirSync(loader, { recursive: true });
  place(join(opts.dist, KERNEL_FILE), join(staging, BOOT_DIR, KERNEL_FILE));
  place(join(opts.dist, INITRD_FILE), join(staging, BOOT_DIR, INITRD_FILE));
  copyFileSync(join(opts.isolinuxRoot, 'usr/lib/ISOLINUX/isolinux.bin'), join(loader, 'isolinux.bin'));
  copyFileSync(join(opts.syslinuxRoot, 'usr/lib/syslinux/modules/bios/ldlinux.c32'), join(loader, 'ldlinux.c32'));
  // isolinux looks for isolinux.cfg next to isolinux.bin; the syntax is extlinux'.
  writeFileSync(join(loader, 'isolinux.cfg'), extlinuxConf(ISO_CMDLINE));
  run('xorriso', [
    ...['-as', 'mkisofs', '-quiet', '-V', ISO_LABEL, '-J', '-R'],
    ...['-b', `${BOOT_DIR}/isolinux/isolinux.bin`, '-c', `${BOOT_DIR}/isolinux/boot.cat`],
    ...['-no-emul-boot', '-boot-load-size', '4', '-boot-info-table'],
    ...['-isohybrid-mbr', join(opts.isolinuxRoot, 'usr/lib/ISOLINUX/isohdpfx.bin')],
    ...['-o', opts.out, staging],
  ]);
  rmSync(staging, { recursive: true, force: true });
}
