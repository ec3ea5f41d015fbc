// `ros os list`: the versions of the channel the node follows, the running
// one marked, as RancherOS' `ros os list` listed its releases.
// docs/architecture.md, "Channels".
import type { Argv, CommandModule } from 'yargs';
import { KEYS_DIR } from '../config/paths';
import { listRows, releasesIn } from '../upgrade/channel';
import { loadTrustedKeys } from '../upgrade/keys';
import { version } from '../version';
import { nodeConfig, target } from './node';
import { readChannel } from './os-upgrade';
import { json, stdout, table } from './output';

export const listCommand: CommandModule = {
  command: 'list',
  describe: 'List the versions of the channel rancher.upgrade.url names; the running one is marked',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  handler: async (args) => {
    const cfg = nodeConfig(target(args));
    const { keys, problems } = loadTrustedKeys(KEYS_DIR, cfg.rancher?.upgrade?.keys ?? []);
    for (const p of problems) process.stderr.write(`warning: trusted key skipped: ${p}\n`);
    const { url, index, channel } = await readChannel(cfg, keys);
    const releases = releasesIn(index, channel);
    if (args.json) return json({ url, channel, running: version, releases }, stdout);
    stdout.write(`channel ${channel} of ${url}\n`);
    table(listRows(index, channel, version), stdout);
    if (!releases.some((r) => r.version === version)) stdout.write(`(this node runs v${version}, which channel ${channel} does not list)\n`);
  },
};
