// `ros swarm status`: this node's part in the swarm, what the agent is doing,
// and on a manager the nodes and the quorum (src/swarm/status.ts renders).
import type { Argv, CommandModule } from 'yargs';
import { userDocker } from '../docker/clients';
import { localSwarm, swarmNodes, type LocalSwarm, type SwarmNode } from '../docker/swarm';
import { readAgentStatus } from '../swarm/files';
import { quorumOf, renderNodes, renderStatus, type SwarmStatusReport } from '../swarm/status';
import { nodeConfig, target } from './node';
import { json, stdout, table } from './output';

export async function swarmStatus(args: Record<string, unknown>): Promise<SwarmStatusReport> {
  const cfg = nodeConfig(target(args)).rancher?.swarm;
  const docker = userDocker();
  let local: LocalSwarm | null = null;
  let dockerError: string | undefined;
  let nodes: SwarmNode[] | null = null;
  try {
    local = await localSwarm(docker);
    if (local.state === 'active' && local.isManager) nodes = await swarmNodes(docker);
  } catch (err) {
    dockerError = (err as Error).message;
  }
  const configuredRole = cfg ? (cfg.role ?? 'worker') : null;
  return { configuredRole, local, ...(dockerError ? { dockerError } : {}), agent: readAgentStatus(), nodes, quorum: nodes ? quorumOf(nodes) : null };
}

export const swarmStatusCommand: CommandModule = {
  command: 'status',
  describe: 'This node\'s role in the swarm, what the swarm agent is doing; on a manager the nodes and the quorum',
  builder: (a: Argv) => a.option('json', { type: 'boolean', describe: 'Print JSON' }).example('$0 swarm status --json', 'for scripts'),
  handler: async (args) => {
    const r = await swarmStatus(args);
    if (args.json) return json(r, stdout);
    table(renderStatus(r), stdout);
    if (r.nodes) {
      stdout.write('\n');
      table(renderNodes(r.nodes), stdout);
    }
  },
};
