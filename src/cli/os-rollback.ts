// `ros os rollback`: boot the other slot again, on purpose.
import type { Argv, CommandModule } from 'yargs';
import { checkpointFs } from '../sys/system';
import { rollback } from '../upgrade/rollback';
import { otherSlot } from '../upgrade/slots';
import { stateRoot } from '../upgrade/status';
import { version } from '../version';
import { requireNode } from './node';
import { json, stdout } from './output';
import { rebootNow, requireSlot } from './os-upgrade';

export const rollbackCommand: CommandModule = {
  command: 'rollback',
  describe: 'Make the other boot slot (the version before the last upgrade) the default, and reboot into it',
  builder: (y: Argv) =>
    y
      .usage('$0 os rollback [--no-reboot] [-f]\n\nThe other slot booted before, so it becomes the default directly (no trial).\nA slot whose trial boot failed is refused unless -f is given.\nA version only staged there (ros os upgrade --no-reboot, or the automatic\nupdater) is disarmed instead: it is not tried, the running version stays the\ndefault and nothing reboots.')
      .option('reboot', { type: 'boolean', default: true, describe: 'Reboot now (--no-reboot: at the next reboot)' })
      .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'Switch even to a slot whose trial boot failed' })
      .option('json', { type: 'boolean', describe: 'On stdout one JSON object: from, to, slot, reboot' }),
  handler: (args) => {
    requireNode('ros os rollback');
    const slot = requireSlot('ros os rollback');
    const r = rollback(stateRoot(), slot, version, Boolean(args.force), checkpointFs);
    const say = (line: string): void => void (args.json ? process.stderr : process.stdout).write(`${line}\n`);
    if (r.cancelled !== undefined) {
      if (args.json) json({ from: version, to: version, slot, reboot: false, cancelled: r.cancelled }, stdout);
      else say(`v${r.cancelled} was staged in slot ${otherSlot(slot)} and is disarmed: it will not be tried; slot ${slot} (v${version}) stays the default`);
      return;
    }
    if (args.json) json({ from: version, to: r.version, slot: r.slot, reboot: Boolean(args.reboot) }, stdout);
    else say(`slot ${r.slot} (v${r.version}) is the default now; slot ${slot} (v${version}) is kept`);
    if (args.reboot) rebootNow(say);
  },
};
