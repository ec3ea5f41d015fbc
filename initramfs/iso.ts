// dist/ros.iso: the live and install medium. isolinux (BIOS) and GRUB (UEFI)
// boot the same kernel and initrd as `make run` (RAM state, autologin on both
// consoles), and `ros install` finds the ISO by its volume label and copies
// them to a disk. Hybrid: the same file boots from a CD or written raw to a
// USB stick, with either firmware.
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

/** A marker only the ISO has, so GRUB finds the ISO and not an installed disk. */
const ISO_MARK = `${BOOT_DIR}/ros-live`;

/**
 * GRUB's EFI image for the ISO, with its whole config built in (no menu, no
 * files to find but the kernel), in a FAT image for El Torito's EFI entry.
 * `mkimage` runs Debian 13's grub-mkimage (through the image's loader).
 */
function efiBootImage(staging: string, mkimage: string[], modules: string): string {
  const cfg = join(staging, 'grub-early.cfg');
  writeFileSync(cfg, [
    `search --no-floppy --file --set=root /${ISO_MARK}`,
    'serial --unit=0 --speed=115200',
    'terminal_input serial console',
    'terminal_output serial console',
    `linux /${BOOT_DIR}/${KERNEL_FILE} ${ISO_CMDLINE}`,
    `initrd /${BOOT_DIR}/${INITRD_FILE}`,
    'boot',
    '',
  ].join('\n'));
  const efi = join(staging, 'BOOTX64.EFI');
  run(mkimage[0] ?? '', [...mkimage.slice(1), '-O', 'x86_64-efi', '-d', modules, '-p', `/${BOOT_DIR}/grub`, '-c', cfg, '-o', efi,
    'iso9660', 'part_msdos', 'part_gpt', 'fat', 'search', 'search_fs_file', 'linux', 'boot', 'serial', 'terminal', 'efi_gop', 'echo']);
  const img = join(staging, BOOT_DIR, 'efiboot.img');
  writeFileSync(img, Buffer.alloc(4 << 20));
  run('mformat', ['-i', img, '::']);
  run('mmd', ['-i', img, '::/EFI', '::/EFI/BOOT']);
  run('mcopy', ['-i', img, efi, '::/EFI/BOOT/BOOTX64.EFI']);
  rmSync(efi);
  rmSync(cfg);
  return `${BOOT_DIR}/efiboot.img`;
}

export function writeIso(opts: { dist: string; staging: string; isolinuxRoot: string; syslinuxRoot: string; grubMkimage: string[]; grubEfiModules: string; out: string }): void {
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
  writeFileSync(join(staging, ISO_MARK), 'ros live ISO\n');
  const efiImg = efiBootImage(staging, opts.grubMkimage, opts.grubEfiModules);
  run('xorriso', [
    ...['-as', 'mkisofs', '-quiet', '-V', ISO_LABEL, '-J', '-R'],
    ...['-b', `${BOOT_DIR}/isolinux/isolinux.bin`, '-c', `${BOOT_DIR}/isolinux/boot.cat`],
    ...['-no-emul-boot', '-boot-load-size', '4', '-boot-info-table'],
    ...['-isohybrid-mbr', join(opts.isolinuxRoot, 'usr/lib/ISOLINUX/isohdpfx.bin')],
    // UEFI: a second El Torito entry, and a GPT view of it for USB sticks.
    ...['-eltorito-alt-boot', '-e', efiImg, '-no-emul-boot', '-isohybrid-gpt-basdat'],
    ...['-o', opts.out, staging],
  ]);
  rmSync(staging, { recursive: true, force: true });
}
