// `ros os …`: what this OS is and how it booted.
import type { Argv, CommandModule } from 'yargs';
import { version } from '../version';
import { requireNode } from './node';
import { json, stdout, table } from './output';
import { bootTimeCommand } from './os-boot-time';
import { collectVersions, renderVersions } from './os-version';
import { upgradeCommand } from './os-upgrade';
import { rollbackCommand } from './os-rollback';
import { listCommand } from './os-list';

/** The same signals busybox reboot/poweroff/halt send, so every path is one shutdown. */
function powerCommand(name: string, signal: NodeJS.Signals, describe: string): CommandModule {
  return {
    command: name,
    describe,
    handler: () => {
      // On any other machine PID 1 is that machine's init.
      requireNode(`ros os ${name}`);
      process.kill(1, signal);
      stdout.write(`${name}: requested (signal ${signal} to PID 1)\n`);
    },
  };
}

export const osCommand: CommandModule = {
  command: 'os <command>',
  describe: 'Operating system information',
  builder: (y: Argv) =>
    y
      .command({
        command: 'version',
        describe: 'Versions of ros, Node, the kernel, both Docker daemons, containerd and runc; the boot slots and the last upgrade',
        builder: (a: Argv) =>
          a
            .option('json', { type: 'boolean', describe: 'Print JSON' })
            .option('short', { type: 'boolean', describe: 'Print only the ros version (vX.Y.Z), as RancherOS did' })
            .conflicts('json', 'short'),
        handler: async (args) => {
          if (args.short) return stdout.write(`v${version}\n`);
          const v = await collectVersions();
          if (args.json) return json(v, stdout);
          table(renderVersions(v), stdout);
        },
      })
      .command(bootTimeCommand)
      .command(listCommand)
      .command(upgradeCommand)
      .command(rollbackCommand)
      .command(powerCommand('reboot', 'SIGTERM', 'Reboot through the ordered shutdown'))
      .command(powerCommand('poweroff', 'SIGUSR2', 'Power off through the ordered shutdown'))
      .command(powerCommand('halt', 'SIGUSR1', 'Halt through the ordered shutdown'))
      .demandCommand(1, 'name an os command'),
  handler: () => {},
};
