// `ros os upgrade`: verify a signed bundle — named with --image, or the
// newest of the channel rancher.upgrade.url names, rebuilt from a delta when
// there is one — write it to the slot not running, arm one trial boot,
// reboot. `--check` only asks the channel; `--status` shows the updater.
// docs/architecture.md, "Upgrades and rollback", "Channels", "Automatic updates".
import type { Argv, CommandModule } from 'yargs';
import { join } from 'node:path';
import { KEYS_DIR, UPGRADE_DIR } from '../config/paths';
import type { RosConfig } from '../config/types';
import { checkpointFs } from '../sys/system';
import { chooseUpdate, pickChannel, type ChannelIndex, type Release } from '../upgrade/channel';
import { fetchIndex, openRelease } from '../upgrade/channel-source';
import { loadTrustedKeys } from '../upgrade/keys';
import { slotDir } from '../upgrade/grub-cfg';
import { slotManifest } from '../upgrade/slot-files';
import { openBundleSource, type BundleSource } from '../upgrade/source';
import { runningSlot, stateRoot } from '../upgrade/status';
import { describeStatus, versionsToSkip } from '../upgrade/updater';
import { readUpdaterStatus } from '../upgrade/updater-status';
import { readRecord, upgrade } from '../upgrade/upgrade';
import type { TrustedKey } from '../upgrade/signature';
import { describeRecord } from '../upgrade/record';
import { version } from '../version';
import { nodeConfig, requireNode, target } from './node';
import { json, stdout, table } from './output';

/** `ros os upgrade --check`: a newer version is available (0: none; 1: the check failed). As `yum check-update`. */
export const UPDATE_AVAILABLE = 100;

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

const say = (line: string): void => void stdout.write(`${line}\n`);
/** With --json, stdout carries only the result, so a tool can parse it: progress goes to stderr. */
const sayAside = (line: string): void => void process.stderr.write(`${line}\n`);

function trustedKeys(cfg: RosConfig, tell = say): TrustedKey[] {
  const { keys, problems } = loadTrustedKeys(KEYS_DIR, cfg.rancher?.upgrade?.keys ?? []);
  for (const p of problems) tell(`warning: trusted key skipped: ${p}`);
  return keys;
}

/** The channel index of the config and the channel this node follows. */
export async function readChannel(cfg: RosConfig, trusted: TrustedKey[]): Promise<{ url: string; index: ChannelIndex; channel: string }> {
  const url = cfg.rancher?.upgrade?.url;
  if (!url) throw new Error('rancher.upgrade.url names no channel index: set it (ros config set rancher.upgrade.url URL), or name a bundle with --image');
  const index = await fetchIndex(url, trusted);
  const picked = pickChannel(index, cfg.rancher?.upgrade?.channel);
  if ('error' in picked) throw new Error(picked.error);
  return { url, index, channel: picked.channel };
}

async function check(cfg: RosConfig): Promise<void> {
  const { index, channel } = await readChannel(cfg, trustedKeys(cfg));
  const c = chooseUpdate(index, channel, version);
  if (c.kind === 'update') {
    say(`v${c.release.version} is available on channel ${channel} (this node runs v${version})`);
    process.exitCode = UPDATE_AVAILABLE;
  } else {
    say(`up to date: ${c.why}`);
  }
}

function status(asJson: boolean): void {
  const root = stateRoot();
  const s = readUpdaterStatus(root);
  const last = readRecord(root);
  if (asJson) return json({ updater: s, lastUpgrade: last }, stdout);
  table([...describeStatus(s, new Date()), ['last upgrade', last ? describeRecord(last) : 'none']], stdout);
}

export const upgradeCommand: CommandModule = {
  command: 'upgrade',
  describe: 'Install the newest version of the channel (or a bundle) to the other boot slot and try it once',
  builder: (y: Argv) =>
    y
      .usage(
        [
          '$0 os upgrade [--image FILE|URL] [--no-reboot] [-f]',
          '$0 os upgrade --check | --status [--json]',
          '',
          'Without --image, reads the signed channel index rancher.upgrade.url names',
          'and installs the newest version of the channel (rancher.upgrade.channel),',
          'fetching a delta from the running version when the index has one and the',
          'full bundle otherwise or when the delta does not apply. Checks the bundle',
          'before writing anything: its Ed25519 signature by a trusted key, then the',
          `size and sha256 of every part (trusted: ${KEYS_DIR}/*.pem and rancher.upgrade.keys).`,
          'Then writes the slot that is not running, crash-safely, and arms one trial',
          'boot of it. The new version becomes the default only when it reaches',
          'boot-complete; otherwise the node comes back on this version by itself,',
          'and `ros os version` says what failed.',
          '',
          `--check exits ${UPDATE_AVAILABLE} when a newer version is available, 0 when there is none, 1 when the check failed.`,
        ].join('\n'),
      )
      .option('image', { alias: 'i', type: 'string', describe: 'The bundle: a path, file://, http:// or https:// URL (default: the newest of the channel)' })
      .option('reboot', { type: 'boolean', default: true, describe: 'Reboot into the new version when done (--no-reboot: at the next reboot)' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Install even if the bundle is not newer than the running version' })
      .option('check', { type: 'boolean', describe: `Only say whether the channel has a newer version (exit ${UPDATE_AVAILABLE}: it has)` })
      .option('status', { type: 'boolean', describe: 'Show what the automatic updater is doing and last did' })
      .option('json', { type: 'boolean', describe: 'Print JSON: with --status, the status; else progress on stderr and one result object (from, to, slot, reboot) on stdout' })
      // The updater's own run (src/init/updater.ts): versions whose trial failed here are not tried again.
      .option('auto', { type: 'boolean', hidden: true })
      .conflicts('check', ['image', 'status'])
      .conflicts('status', 'image')
      .example('$0 os upgrade', 'install the newest version of the channel and reboot into it')
      .example('$0 os upgrade --check', `exit ${UPDATE_AVAILABLE} if there is a newer version`)
      .example('$0 os upgrade --image /home/rancher/ros-1.2.3.bundle', 'upgrade from a file and reboot')
      .example('$0 os upgrade --image http://10.0.2.2:8080/ros-1.2.3.bundle --no-reboot', 'download, install, reboot later'),
  handler: async (args) => {
    if (args.status) return status(Boolean(args.json));
    const cfg = nodeConfig(target(args));
    if (args.check) return check(cfg);
    requireNode('ros os upgrade');
    const slot = requireSlot('ros os upgrade');
    const tell = args.json ? sayAside : say;
    const keys = trustedKeys(cfg, tell);
    const root = stateRoot();
    const dir = join(root, UPGRADE_DIR);
    let source: BundleSource;
    if (typeof args.image === 'string' && args.image !== '') {
      source = await openBundleSource(args.image, dir, tell);
    } else {
      const { url, index, channel } = await readChannel(cfg, keys);
      const c = chooseUpdate(index, channel, version, args.auto ? versionsToSkip(readRecord(root)) : []);
      if (c.kind === 'none') return tell(`nothing to do: ${c.why}`);
      const release: Release = c.release;
      tell(`channel ${channel}: v${release.version} is newer than v${version}${release.notes ? ` — ${release.notes.split('\n')[0] ?? ''}` : ''}`);
      const running = slotManifest(root, slot);
      source = await openRelease({
        indexUrl: url,
        release,
        running: { version, parts: running?.version === version ? running.parts : null },
        baseDir: join(root, slotDir(slot)),
        trusted: keys,
        dir,
        progress: tell,
      });
    }
    let done: ReturnType<typeof upgrade>;
    try {
      done = upgrade({ stateRoot: root, running: slot, runningVersion: version, bundle: source.reader, trusted: keys, force: Boolean(args.force), checkpoint: checkpointFs, progress: tell });
    } finally {
      source.close();
    }
    if (args.json) json({ from: version, to: done.manifest.version, slot: done.slot, trial: true, reboot: Boolean(args.reboot) }, stdout);
    if (args.reboot) rebootNow(tell);
    else tell('not rebooting (--no-reboot): the trial boot happens at the next reboot');
  },
};
