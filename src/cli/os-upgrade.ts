// `ros os upgrade --image FILE|URL`: verify a signed bundle, write it to the
// slot not running, arm one trial boot, reboot. docs/architecture.md,
// "Upgrades and rollback".
import type { Argv, CommandModule } from 'yargs';
import { join } from 'node:path';
import { KEYS_DIR } from '../config/paths';
import { checkpointFs } from '../sys/system';
import { loadTrustedKeys } from '../upgrade/keys';
import { openBundleSource } from '../upgrade/source';
import { runningSlot, stateRoot } from '../upgrade/status';
import { upgrade } from '../upgrade/upgrade';
import { version } from '../version';
import { nodeConfig, requireNode, target } from './node';
import { json, stdout } from './output';

/** The slot this boot runs, or a refusal that says why this boot cannot be upgraded. */
export function requireSlot(command: string): 'a' | 'b' {
  const slot = runningSlot();
  if (slot === null) {
    throw new Error(`${command}: this boot has no ros.slot= on its kernel command line: it is not from a disk installed with A/B slots (the live ISO, make run, or an older install); nothing was changed`);
  }
  return slot;
}

export function rebootNow(say: (line: string) => void): void {
  // The same signal `ros os reboot` sends: one ordered shutdown.
  process.kill(1, 'SIGTERM');
  say('rebooting (signal SIGTERM to PID 1)');
}

export const upgradeCommand: CommandModule = {
  command: 'upgrade',
  describe: 'Install a signed release bundle to the other boot slot and try it once',
  builder: (y: Argv) =>
    y
      .usage(
        [
          '$0 os upgrade --image FILE|URL [--no-reboot] [-f]',
          '',
          'Checks the bundle (made by `make release`) before writing anything: its',
          'Ed25519 signature by a trusted key, then the size and sha256 of every',
          `part (trusted: ${KEYS_DIR}/*.pem and rancher.upgrade.keys). Then writes the slot that is not`,
          'running, crash-safely, and arms one trial boot of it. The new version becomes',
          'the default only when it reaches boot-complete; otherwise the node comes back',
          'on this version by itself, and `ros os version` says what failed.',
        ].join('\n'),
      )
      .option('image', { alias: 'i', type: 'string', demandOption: 'name the bundle with --image FILE|URL', describe: 'The bundle: a path, file://, http:// or https:// URL' })
      .option('reboot', { type: 'boolean', default: true, describe: 'Reboot into the new version when done (--no-reboot: at the next reboot)' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Install even if the bundle is not newer than the running version' })
      .option('json', { type: 'boolean', describe: 'Progress on stderr; on stdout one JSON object: from, to, slot, reboot' })
      .example('$0 os upgrade --image /home/rancher/ros-1.2.3.bundle', 'upgrade from a file and reboot')
      .example('$0 os upgrade --image http://10.0.2.2:8080/ros-1.2.3.bundle --no-reboot', 'download, install, reboot later'),
  handler: async (args) => {
    requireNode('ros os upgrade');
    const slot = requireSlot('ros os upgrade');
    const cfg = nodeConfig(target(args));
    // With --json, stdout carries only the result, so a tool can parse it.
    const progress = (line: string): void => void (args.json ? process.stderr : process.stdout).write(`${line}\n`);
    const { keys, problems } = loadTrustedKeys(KEYS_DIR, cfg.rancher?.upgrade?.keys ?? []);
    for (const p of problems) progress(`warning: trusted key skipped: ${p}`);
    const root = stateRoot();
    const source = await openBundleSource(String(args.image), join(root, 'var/lib/rancher/upgrade'), progress);
    let done: ReturnType<typeof upgrade>;
    try {
      done = upgrade({ stateRoot: root, running: slot, runningVersion: version, bundle: source.reader, trusted: keys, force: Boolean(args.force), checkpoint: checkpointFs, progress });
    } finally {
      source.close();
    }
    if (args.json) json({ from: version, to: done.manifest.version, slot: done.slot, trial: true, reboot: Boolean(args.reboot) }, stdout);
    if (args.reboot) rebootNow(progress);
    else progress('not rebooting (--no-reboot): the trial boot happens at the next reboot');
  },
};
