// `ros os rollback`: make the other slot the default again. It booted
// before (it was good once), so it is switched to directly, not tried.
import { rolledBack } from './record';
import { slotManifest, writeSlotEnv } from './slot-files';
import { otherSlot, rollbackEnv, type Slot } from './slots';
import { readRecord, upgradableEnv, writeRecord } from './upgrade';

export function rollback(stateRoot: string, running: Slot, runningVersion: string, force: boolean, checkpoint: (dir: string) => void): { slot: Slot; version: string } {
  upgradableEnv(stateRoot, running);
  const target = otherSlot(running);
  const m = slotManifest(stateRoot, target);
  if (!m) throw new Error(`slot ${target} holds no complete version: there is nothing to roll back to`);
  const last = readRecord(stateRoot);
  if (last?.outcome === 'failed' && last.slot === target && !force) {
    throw new Error(`slot ${target} holds v${m.version}, whose trial boot failed (${last.reason ?? 'no reason recorded'}); -f switches to it anyway`);
  }
  checkpoint(stateRoot);
  writeRecord(stateRoot, rolledBack(runningVersion, m.version, target, new Date()));
  writeSlotEnv(stateRoot, rollbackEnv(running));
  return { slot: target, version: m.version };
}
