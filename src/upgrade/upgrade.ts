// `ros os upgrade`'s steps, in the order that keeps every power cut safe
// (docs/architecture.md, "What happens on each failure"): verify everything,
// disarm a trial of the target slot, write the slot, checkpoint the journal,
// record, arm. Until the last one-sector write the next boot is the old one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UPGRADE_RECORD } from '../config/paths';
import { atomicWrite } from '../sys/atomic-write';
import { BundleError, verifyBundle, type Reader } from './bundle';
import { compareVersions, type Manifest } from './manifest';
import { armed, parseRecord, type UpgradeRecord } from './record';
import type { TrustedKey } from './signature';
import { readSlotEnv, writeSlot, writeSlotEnv } from './slot-files';
import { armTrial, bootRole, disarm, otherSlot, type Slot, type SlotEnv } from './slots';

export interface UpgradeInput {
  /** Where RANCHER_STATE is mounted. */
  stateRoot: string;
  /** The slot this boot runs (ros.slot= of the kernel command line). */
  running: Slot;
  runningVersion: string;
  bundle: Reader;
  trusted: TrustedKey[];
  /** Install a version that is not newer than the running one. */
  force: boolean;
  /** Writes the journal back where GRUB reads (src/sys/system.ts checkpointFs). */
  checkpoint(stateRoot: string): void;
  progress(line: string): void;
  now?: () => Date;
}

export const recordPath = (stateRoot: string): string => join(stateRoot, UPGRADE_RECORD);

export function readRecord(stateRoot: string): UpgradeRecord | null {
  try {
    return parseRecord(readFileSync(recordPath(stateRoot), 'utf8'));
  } catch {
    return null;
  }
}

export function writeRecord(stateRoot: string, r: UpgradeRecord): void {
  atomicWrite(recordPath(stateRoot), `${JSON.stringify(r, null, 2)}\n`);
}

/** The slot env, or a BundleError-free refusal saying why this boot cannot be upgraded. */
export function upgradableEnv(stateRoot: string, running: Slot): SlotEnv {
  const env = readSlotEnv(stateRoot);
  if ('error' in env) throw new Error(`cannot read the boot slots: ${env.error}`);
  if (bootRole(env, running).kind === 'trial') {
    throw new Error(`this boot is the trial of slot ${running}, not yet good (it becomes good at boot-complete); upgrade once it is`);
  }
  return env;
}

export function upgrade(inp: UpgradeInput): { manifest: Manifest; slot: Slot } {
  const now = inp.now ?? (() => new Date());
  const env = upgradableEnv(inp.stateRoot, inp.running);
  const target = otherSlot(inp.running);
  inp.progress(`verifying the bundle (${(inp.bundle.size / 1048576).toFixed(1)} MiB) against ${inp.trusted.length} trusted key(s)`);
  let last = '';
  const v = verifyBundle(inp.bundle, inp.trusted, (part, done, total) => {
    const pct = `${part} ${Math.floor((done / total) * 4) * 25}%`;
    if (pct !== last && total > 16 << 20) inp.progress(`  checked ${pct}`);
    last = pct;
  });
  const to = v.manifest.version;
  if (compareVersions(to, inp.runningVersion) <= 0 && !inp.force) {
    throw new BundleError(`refused: the bundle is v${to} and this node runs v${inp.runningVersion}; installing the same or an older version needs -f`);
  }
  inp.progress(`bundle v${to} (${v.manifest.commit}) verified: signature and sha256 of every part`);
  // From here on the disk changes. First make sure a pending trial of the target cannot boot a half-written slot.
  const disarmed = disarm(env, target);
  if (disarmed !== env) writeSlotEnv(inp.stateRoot, disarmed);
  writeSlot(inp.stateRoot, target, inp.bundle, v, inp.progress);
  inp.checkpoint(inp.stateRoot);
  writeRecord(inp.stateRoot, armed(inp.runningVersion, to, target, now()));
  writeSlotEnv(inp.stateRoot, armTrial(disarmed, inp.running));
  inp.progress(`slot ${target} holds v${to}; the next boot tries it once, and comes back to slot ${inp.running} (v${inp.runningVersion}) unless it reaches boot-complete`);
  return { manifest: v.manifest, slot: target };
}
