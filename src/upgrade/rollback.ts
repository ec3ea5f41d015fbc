// `ros os rollback`: make the other slot the default again. It booted
// before (it was good once), so it is switched to directly, not tried.
// A version only staged there (armed, its trial not started) never booted:
// rolling back then means not trying it — the trial is disarmed and the
// running version stays the default (docs/architecture.md, "Automatic updates").
import { cancelled, rolledBack } from './record';
import { slotManifest, writeSlotEnv } from './slot-files';
import { disarm, otherSlot, rollbackEnv, type Slot } from './slots';
import { readRecord, upgradableEnv, writeRecord } from './upgrade';

export interface RollbackResult {
  /** The slot the next boot uses. */
  slot: Slot;
  version: string;
  /** Set when a staged version was disarmed instead: the version that will not be tried. */
  cancelled?: string;
}

export function rollback(stateRoot: string, running: Slot, runningVersion: string, force: boolean, checkpoint: (dir: string) => void, now = new Date()): RollbackResult {
  const env = upgradableEnv(stateRoot, running);
  const target = otherSlot(running);
  const m = slotManifest(stateRoot, target);
  if (env.trial === target && !env.trialBooted) {
    const staged = m?.version ?? readRecord(stateRoot)?.to ?? 'unknown';
    checkpoint(stateRoot);
    writeRecord(stateRoot, cancelled(runningVersion, staged, target, now));
    writeSlotEnv(stateRoot, disarm(env, target));
    return { slot: running, version: runningVersion, cancelled: staged };
  }
  if (!m) throw new Error(`slot ${target} holds no complete version: there is nothing to roll back to`);
  const last = readRecord(stateRoot);
  if (last?.outcome === 'failed' && last.slot === target && !force) {
    throw new Error(`slot ${target} holds v${m.version}, whose trial boot failed (${last.reason ?? 'no reason recorded'}); -f switches to it anyway`);
  }
  checkpoint(stateRoot);
  writeRecord(stateRoot, rolledBack(runningVersion, m.version, target, now));
  writeSlotEnv(stateRoot, rollbackEnv(running));
  return { slot: target, version: m.version };
}
