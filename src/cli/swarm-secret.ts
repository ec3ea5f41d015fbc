// `ros swarm secret`: a fresh rancher.swarm.cluster_secret, made once per
// cluster and given to every node's cloud-config.
import type { CommandModule } from 'yargs';
import { generateSecret } from '../swarm/protocol';
import { stdout } from './output';

export const swarmSecretCommand: CommandModule = {
  command: 'secret',
  describe: 'Print a new random cluster_secret (32 bytes, base64url) for rancher.swarm',
  builder: (a) => a.example('$0 swarm secret', 'then put it in every node\'s rancher.swarm.cluster_secret'),
  handler: () => {
    stdout.write(`${generateSecret()}\n`);
  },
};
