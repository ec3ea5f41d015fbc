// `ros install`: put ros on a disk that then boots on its own.
import type { Argv, CommandModule } from 'yargs';
import { install } from '../install/install';
import { ISO_LABEL } from '../install/media';
import { readFileSync } from 'node:fs';
import { validateConfig } from '../config/validate';
import { stdout } from './output';
import { failOn, requireNode } from './node';

/** The -c file, validated before install() touches anything (exit 3 when invalid). */
function readCloudConfig(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`-c ${file}: ${(err as Error).message}`, { cause: err });
  }
  const checked = validateConfig(text, file);
  if (!checked.ok) failOn(checked.diagnostics, `${file} is not a valid cloud-config; nothing was written`);
  return text;
}

export const installCommand: CommandModule = {
  command: 'install',
  describe: 'Install ros to a disk (bootable, and the RANCHER_STATE disk)',
  builder: (y: Argv) =>
    y
      .usage(
        [
          '$0 install -d DEVICE [-c CLOUD_CONFIG] [-f] [-a "KERNEL ARGS"]',
          '',
          'Partitions DEVICE (one bootable ext4 partition labelled RANCHER_STATE),',
          'copies the kernel and initrd from the install media (the ros ISO, volume',
          `label ${ISO_LABEL}), installs extlinux and, with -c, a cloud-config that is`,
          'applied on the first boot from the disk. Nothing is written until every',
          'check passed. A disk that holds anything is refused unless -f is given;',
          'a mounted disk is always refused.',
        ].join('\n'),
      )
      .option('device', { alias: 'd', type: 'string', demandOption: 'name the disk to install to with -d, e.g. -d /dev/sda', describe: 'The whole disk to install to, e.g. /dev/sda' })
      .option('cloud-config', { alias: 'c', type: 'string', describe: 'A cloud-config file, validated first, applied on the first boot' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Erase a disk that holds data (never a mounted one)' })
      .option('append', { alias: 'a', type: 'string', default: '', describe: 'Extra kernel command-line words for the installed system' })
      .option('media', { type: 'string', describe: 'A directory or device holding boot/vmlinuz and boot/initrd.img (default: the ISO found by label)' })
      // RancherOS scripts pass --no-reboot; ros install never reboots, so it is accepted and ignored.
      .option('reboot', { type: 'boolean', hidden: true })
      .example('$0 install -d /dev/sda -c cloud-config.yml', 'install to a blank disk with a cloud-config')
      .example('$0 install -d /dev/vda -f -a "rancher.autologin=ttyS0"', 'reinstall over an old disk, with autologin on the serial port'),
  handler: async (args) => {
    // Off a node this would partition a disk of whatever machine it runs on.
    requireNode('ros install');
    await install({
      device: String(args.device),
      cloudConfig: args['cloud-config'] === undefined ? null : readCloudConfig(String(args['cloud-config'])),
      force: Boolean(args.force),
      append: String(args.append ?? ''),
      media: args.media === undefined ? undefined : String(args.media),
      progress: (line) => stdout.write(`${line}\n`),
    });
  },
};
