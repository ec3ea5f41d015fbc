// `ros tls gen`: certificates for the user Docker's API over TLS, as
// RancherOS' command of that name made them. With --server, dockerd's own
// (for the names given and the node's); without, a client certificate in
// ~/.docker, where `docker --tlsverify` looks. Both come from the node's CA in
// /var/lib/rancher/tls (made once). Turn TLS on with `ros config set
// rancher.docker.tls true` and `ros service up docker`.
// docs/architecture.md, "Docker over TLS".
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { TLS_DIR } from '../config/paths';
import { ensureDockerTls, nodeCa, nodeNames, writeClientCert } from '../tls/files';
import { nodeConfig, requireNode, target } from './node';
import { stdout } from './output';

export const tlsCommand: CommandModule = {
  command: 'tls <command>',
  describe: 'Certificates for the Docker API over TLS (tcp/2376)',
  builder: (y: Argv) =>
    y
      .command({
        command: 'gen',
        describe: 'Make a client certificate in ~/.docker, or with --server dockerd\'s own',
        builder: (a: Argv) =>
          a
            .option('server', { alias: 's', type: 'boolean', describe: 'Make dockerd\'s certificate (replacing the one there)' })
            .option('hostname', { alias: 'H', type: 'string', array: true, default: [] as string[], describe: 'A name or address the server certificate is for (repeatable; the node\'s own are always in)' })
            .option('dir', { alias: 'd', type: 'string', describe: 'Where the client certificate goes (default ~/.docker)' })
            .example('sudo ros tls gen --server -H node-1.example.com', 'dockerd\'s certificate, also valid as node-1.example.com')
            .example('sudo ros tls gen && docker --tlsverify -H tcp://127.0.0.1:2376 ps', 'a client certificate, then use it'),
        handler: (args) => {
          const t = target(args);
          requireNode('ros tls gen', t);
          const dir = join(t.paths.root, TLS_DIR);
          const cfg = nodeConfig(t).rancher?.docker ?? {};
          if (args.server) {
            const names = [...nodeNames(), ...args.hostname];
            for (const done of ensureDockerTls(cfg, dir, names, true)) stdout.write(`${done}\n`);
            if (!cfg.tls) stdout.write('TLS is off: ros config set rancher.docker.tls true && ros service up docker\n');
            else stdout.write('restart the user Docker to use it: ros service restart docker\n');
            return;
          }
          const out = typeof args.dir === 'string' ? args.dir : join(process.env.HOME ?? homedir(), '.docker');
          const { ca, made } = nodeCa(cfg, dir);
          if (made) stdout.write(`made a CA in ${dir}\n`);
          writeClientCert(ca, out);
          stdout.write(`wrote ${join(out, 'ca.pem')}, cert.pem and key.pem: docker --tlsverify -H tcp://HOST:2376 …\n`);
        },
      })
      .demandCommand(1, 'name a tls command'),
  handler: () => {},
};
