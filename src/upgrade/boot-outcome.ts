// What init does about the slots at boot and at boot-complete (pure): the
// GRUB variables and the record to write, and what to tell the console.
// docs/architecture.md, "The GRUB environment protocol".
import { armed, describeRecord, failed, failureReason, succeeded, trialAt, type UpgradeRecord } from './record';
import { bootRole, markGood, type Slot, type SlotEnv } from './slots';

export interface SlotActions {
  /** GRUB variables to write, when they change. */
  env?: SlotEnv;
  record?: UpgradeRecord;
  /** One line for the console. */
  message?: string;
  /** This boot is a trial: arm the watchdog, reboot instead of the recovery shell. */
  trial: boolean;
}

export function atBoot(env: SlotEnv, booted: Slot, version: string, record: UpgradeRecord | null, now: Date): SlotActions {
  const role = bootRole(env, booted);
  if (role.kind === 'trial') {
    const r = trialAt(record?.slot === booted ? record : armed('unknown', version, booted, now), 'storage', now);
    return { record: r, trial: true, message: `trial boot of v${version} (slot ${booted}): it becomes the default at boot-complete, else the next boot is slot ${env.default}` };
  }
  if (role.kind === 'after-failed-trial') {
    const base = record?.slot === role.failed ? record : armed(version, 'unknown', role.failed, now);
    const r = failed(base, failureReason(record?.slot === role.failed ? record : null), now);
    return { env: role.next, record: r, trial: false, message: describeRecord(r) };
  }
  // A normal boot: tidy a record a power cut left behind.
  if (record && (record.outcome === 'armed' || record.outcome === 'trial') && env.trial === null) {
    if (record.slot === booted && record.outcome === 'trial') {
      // The trial was made good, and the power went before its record said so.
      return { record: succeeded(record, now), trial: false };
    }
    const r = failed(record, 'the upgrade was interrupted before its trial boot; nothing was changed, run ros os upgrade again', now);
    return { record: r, trial: false, message: describeRecord(r) };
  }
  return { trial: false };
}

/** The trial reached boot-complete: it becomes the default. Null for any other boot. */
export function atBootComplete(env: SlotEnv, booted: Slot, record: UpgradeRecord | null, now: Date): SlotActions | null {
  if (bootRole(env, booted).kind !== 'trial') return null;
  const r = record ? succeeded(record, now) : undefined;
  return { env: markGood(env, booted), record: r, trial: true, message: r ? describeRecord(r) : `slot ${booted} is good and now the default` };
}
