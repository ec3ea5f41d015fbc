// `ros swarm agent`: the loop PID 1 runs as a child after the boot
// (src/init/swarm.ts); not for users, so it is hidden from --help. It reads
// the secret from the node's config files itself: never from argv or the
// environment, where `ps` would show it.
import { networkInterfaces } from 'node:os';
import type { CommandModule } from 'yargs';
import { userDocker } from '../docker/clients';
import { defaultRouteInterface } from '../sys/net-links';
import { runAgent } from '../swarm/agent';
import { readMembership, writeAgentStatus, writeMembership } from '../swarm/files';
import { advertiseAddress } from '../swarm/plan';
import { nodeConfig, requireNode, target } from './node';

export const swarmAgentCommand: CommandModule = {
  command: 'agent',
  describe: false,
  handler: async (args) => {
    requireNode('ros swarm agent');
    const t = target(args);
    await runAgent({
      docker: userDocker(),
      config: () => nodeConfig(t).rancher?.swarm,
      advertise: (setting) => advertiseAddress(setting, networkInterfaces(), defaultRouteInterface()),
      readMembership: () => readMembership(),
      writeMembership: (m) => writeMembership(m),
      writeStatus: (s) => {
        try {
          writeAgentStatus(s);
        } catch {
          /* status is a courtesy for `ros swarm status`; the log has every line */
        }
      },
      // One line per message, level first: PID 1 logs it at that level.
      say: (level, message) => void process.stdout.write(`${level}: ${message}\n`),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
  },
};
