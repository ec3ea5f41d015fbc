// `ros swarm …`: the Docker Swarm rancher.swarm makes of ros nodes (docs/architecture.md, "Swarm").
import type { Argv, CommandModule } from 'yargs';
import { swarmAgentCommand } from './swarm-agent';
import { swarmSecretCommand } from './swarm-secret';
import { swarmStatusCommand } from './swarm-status';

export const swarmCommand: CommandModule = {
  command: 'swarm <command>',
  describe: 'The Docker Swarm of ros nodes: status, a new cluster secret',
  builder: (y: Argv) => y.command(swarmStatusCommand).command(swarmSecretCommand).command(swarmAgentCommand).demandCommand(1, 'name a swarm command'),
  handler: () => {},
};
