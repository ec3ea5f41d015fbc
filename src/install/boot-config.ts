// What an installed disk boots: the extlinux config and the kernel command line.
// The partition is both /boot and the RANCHER_STATE disk, as on RancherOS.
import { STATE_LABEL } from '../config/paths';

/** Where the kernel and initrd live on the installed partition (and on the ISO). */
export const BOOT_DIR = 'boot';
export const KERNEL_FILE = 'vmlinuz';
export const INITRD_FILE = 'initrd.img';

/**
 * Kernel words every installed system gets. The state disk is the boot disk, so
 * it is required: running from RAM would silently lose what the user writes.
 * ttyS0 comes last so /dev/console, where milestones go, is the serial port.
 */
export const INSTALL_CMDLINE = ['console=tty1', 'console=ttyS0,115200n8', `rancher.state.dev=LABEL=${STATE_LABEL}`, 'rancher.state.wait=30', 'rancher.state.required=true'];

/** Pure: the kernel command line of an installed system, with the user's `--append` words last. */
export function installCmdline(append: string): string {
  return [...INSTALL_CMDLINE, append.trim()].filter(Boolean).join(' ');
}

/** Pure: extlinux.conf (also isolinux.cfg): one entry, no menu, no wait; output on the serial port too. */
export function extlinuxConf(cmdline: string, dir = `/${BOOT_DIR}`): string {
  if (/[\r\n]/.test(cmdline)) throw new Error('the kernel command line must be one line');
  return [
    '# written by ros install',
    'SERIAL 0 115200',
    'DEFAULT ros',
    'PROMPT 0',
    'TIMEOUT 0',
    'LABEL ros',
    `  KERNEL ${dir}/${KERNEL_FILE}`,
    `  INITRD ${dir}/${INITRD_FILE}`,
    `  APPEND ${cmdline}`,
    '',
  ].join('\n');
}
