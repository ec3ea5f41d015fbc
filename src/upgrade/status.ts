// What `ros os version` says about the slots: which one runs, what the other
// holds, what is pending, and how the last upgrade ended.
import { readFileSync } from 'node:fs';
import { STATE_MOUNT } from '../config/paths';
import { describeRecord, type UpgradeRecord } from './record';
import { readSlotEnv, slotManifest } from './slot-files';
import { otherSlot, slotFromCmdline, type Slot } from './slots';
import { readRecord } from './upgrade';

export interface SlotStatus {
  slot: Slot;
  other: Slot;
  /** The version the other slot holds, null when empty. */
  otherVersion: string | null;
  default: Slot | null;
  /** A slot armed for its one trial boot. */
  trial: Slot | null;
  lastUpgrade: UpgradeRecord | null;
  /** One line describing lastUpgrade. */
  lastUpgradeText: string | null;
}

/** Where the node's RANCHER_STATE is mounted; ROS_STATE_ROOT names another (tests, a mounted disk). */
export const stateRoot = (env: NodeJS.ProcessEnv = process.env): string => env.ROS_STATE_ROOT || STATE_MOUNT;

/** The slot this boot runs, from /proc/cmdline (ROS_SLOT overrides, for tests); null off an A/B disk. */
export function runningSlot(env: NodeJS.ProcessEnv = process.env): Slot | null {
  if (env.ROS_SLOT === 'a' || env.ROS_SLOT === 'b') return env.ROS_SLOT;
  try {
    return slotFromCmdline(readFileSync('/proc/cmdline', 'utf8'));
  } catch {
    return null;
  }
}

/** null when this boot is not from an A/B disk. */
export function slotStatus(root = stateRoot(), slot = runningSlot()): SlotStatus | null {
  if (slot === null) return null;
  const env = readSlotEnv(root);
  const last = readRecord(root);
  return {
    slot,
    other: otherSlot(slot),
    otherVersion: slotManifest(root, otherSlot(slot))?.version ?? null,
    default: 'error' in env ? null : env.default,
    trial: 'error' in env || env.trialBooted ? null : env.trial,
    lastUpgrade: last,
    lastUpgradeText: last ? describeRecord(last) : null,
  };
}
