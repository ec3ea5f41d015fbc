// The upgrade record, /var/lib/rancher/upgrade/last.json on the state disk:
// what the last upgrade (or rollback) did and how it ended. The old version
// reads it after a failed trial to tell the operator which version failed
// and how far it got. Pure: transitions and rendering.
import type { Slot } from './slots';

export type Outcome = 'armed' | 'trial' | 'succeeded' | 'failed' | 'rolled-back' | 'cancelled';

export interface UpgradeRecord {
  from: string;
  to: string;
  /** The slot written (or, for a rollback, switched to). */
  slot: Slot;
  outcome: Outcome;
  /** The last boot stage the trial reached. */
  stage?: string;
  reason?: string;
  /** ISO 8601 of the last change */
  at: string;
}

export function parseRecord(text: string): UpgradeRecord | null {
  try {
    const r = JSON.parse(text) as Partial<UpgradeRecord>;
    if (typeof r.from === 'string' && typeof r.to === 'string' && typeof r.outcome === 'string' && (r.slot === 'a' || r.slot === 'b')) return r as UpgradeRecord;
  } catch {
    /* a torn or foreign file reads as no record */
  }
  return null;
}

export function armed(from: string, to: string, slot: Slot, now: Date): UpgradeRecord {
  return { from, to, slot, outcome: 'armed', at: now.toISOString() };
}

/** The trial boot reached `stage` (kept so a failure can say how far it got). */
export function trialAt(r: UpgradeRecord, stage: string, now: Date): UpgradeRecord {
  return { ...r, outcome: 'trial', stage, at: now.toISOString() };
}

export function succeeded(r: UpgradeRecord, now: Date): UpgradeRecord {
  return { ...r, outcome: 'succeeded', reason: undefined, at: now.toISOString() };
}

/** Pure: why a trial failed, from the furthest point it recorded. */
export function failureReason(r: UpgradeRecord | null, trialReason?: string): string {
  if (trialReason) return trialReason;
  if (r?.outcome === 'trial' && r.reason) return `${r.reason} (last stage reached: ${r.stage ?? 'none'})`;
  if (r?.outcome === 'trial' && r.stage) return `it did not reach boot-complete (last stage reached: ${r.stage}; then a panic, a crash, a hang or a reset)`;
  return 'it did not reach init (the kernel panicked or the boot loader could not load it)';
}

export function failed(r: UpgradeRecord, reason: string, now: Date): UpgradeRecord {
  return { ...r, outcome: 'failed', reason, at: now.toISOString() };
}

export function rolledBack(from: string, to: string, slot: Slot, now: Date): UpgradeRecord {
  return { from, to, slot, outcome: 'rolled-back', reason: 'ros os rollback', at: now.toISOString() };
}

/** A staged upgrade disarmed by `ros os rollback` before its trial: `to` is the version that will not be tried. */
export function cancelled(from: string, to: string, slot: Slot, now: Date): UpgradeRecord {
  return { from, to, slot, outcome: 'cancelled', reason: 'ros os rollback before its trial', at: now.toISOString() };
}

/** Pure: one line for the console and `ros os version`. */
export function describeRecord(r: UpgradeRecord): string {
  switch (r.outcome) {
    case 'armed':
      return `upgrade v${r.from} -> v${r.to} (slot ${r.slot}) is armed: the next boot tries it once`;
    case 'trial':
      return `upgrade v${r.from} -> v${r.to} (slot ${r.slot}) is on trial (reached ${r.stage ?? 'init'})`;
    case 'succeeded':
      return `upgrade v${r.from} -> v${r.to} (slot ${r.slot}) succeeded at ${r.at}`;
    case 'failed':
      return `upgrade v${r.from} -> v${r.to} (slot ${r.slot}) FAILED and was rolled back at ${r.at}: ${r.reason ?? 'unknown reason'}`;
    case 'rolled-back':
      return `rolled back from v${r.from} to v${r.to} (slot ${r.slot}) at ${r.at}`;
    case 'cancelled':
      return `upgrade v${r.from} -> v${r.to} (slot ${r.slot}) was cancelled before its trial at ${r.at}: v${r.from} stays`;
  }
}
