// `ros service …`: the system services.
import type { Argv, CommandModule } from 'yargs';
import { systemDocker } from '../docker/clients';
import { json, stdout, table } from './output';
import { listServiceContainers } from '../services/status';

export const serviceCommand: CommandModule = {
  command: 'service <command>',
  aliases: ['s'],
  describe: 'Manage system services',
  builder: (y: Argv) =>
    y
      .command({
        command: 'ps',
        describe: 'List system service containers with their state',
        builder: (a: Argv) =>
          a.option('all', { alias: 'a', type: 'boolean', describe: 'Include stopped containers', default: true }).option('json', { type: 'boolean', describe: 'Print JSON' }),
        handler: async (args) => {
          const rows = await listServiceContainers(systemDocker(), Boolean(args.all));
          if (args.json) return json(rows, stdout);
          table([['NAME', 'STATE', 'STATUS', 'IMAGE'], ...rows.map((r) => [r.name, r.state, r.status, r.image])], stdout);
        },
      })
      .demandCommand(1, 'name a service command'),
  handler: () => {},
};
