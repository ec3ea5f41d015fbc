// The automatic updater's decisions and its status (docs/architecture.md,
// "Automatic updates"). Pure: PID 1's loop (src/init/updater.ts) gives the
// facts and does what these functions say.
import type { UpgradeConfig } from '../config/types';
import type { UpgradeRecord } from './record';
import { nextWindow, parseDuration, parseWindow, type Window } from './window';

export const DEFAULT_INTERVAL_S = 3600;

export type UpdaterState = 'off' | 'idle' | 'checking' | 'staged' | 'waiting-for-window' | 'rebooting' | 'failed';

/** /var/lib/rancher/upgrade/updater.json: what the updater is doing and what it last did. */
export interface UpdaterStatus {
  state: UpdaterState;
  /** One line: what it is doing now. */
  detail: string;
  /** ISO 8601: when `state` began. */
  since: string;
  /** The last line of progress of a running check (downloads). */
  progress?: string;
  nextCheck?: string;
  /** The version staged in the other slot, waiting for a reboot. */
  staged?: string;
  /** The last thing done, with its time. */
  last?: { at: string; what: string };
}

export interface UpdaterPlan {
  intervalS: number;
  window: Window | null;
  /** The window as written, for messages. */
  windowText: string | null;
}

/** Pure: the updater's settings from the config, or why it cannot run (null: it is off). */
export function updaterPlan(cfg: UpgradeConfig | undefined): UpdaterPlan | { error: string } | null {
  if (cfg?.auto !== true) return null;
  if (!cfg.url) return { error: 'rancher.upgrade.auto is on but rancher.upgrade.url names no channel index' };
  const intervalS = cfg.interval === undefined ? DEFAULT_INTERVAL_S : parseDuration(cfg.interval);
  if (intervalS === null) return { error: `rancher.upgrade.interval ${JSON.stringify(cfg.interval)} is not a duration such as 1h or 30m` };
  if (cfg.window === undefined) return { intervalS, window: null, windowText: null };
  const w = parseWindow(cfg.window);
  if ('error' in w) return { error: `rancher.upgrade.${w.error}` };
  return { intervalS, window: w, windowText: cfg.window };
}

export type RebootDecision = { reboot: true; why: string } | { reboot: false; at: Date; why: string };

/** Pure: after staging, whether to reboot now or when. */
export function rebootDecision(plan: UpdaterPlan, now: Date): RebootDecision {
  if (!plan.window) return { reboot: true, why: 'no rancher.upgrade.window: rebooting as soon as it is staged' };
  const next = nextWindow(plan.window, now);
  if (next.start.getTime() <= now.getTime()) return { reboot: true, why: `inside the window ${plan.windowText ?? ''} (until ${next.end.toISOString()})` };
  return { reboot: false, at: next.start, why: `waiting for the window ${plan.windowText ?? ''}: it opens at ${next.start.toISOString()}` };
}

/**
 * Pure: versions the updater must not stage again: the last upgrade's target
 * when its trial failed here (the node came back by itself), so a broken
 * release is not tried in a loop, or when the operator cancelled it staged
 * (`ros os rollback` before its trial). A manual `ros os upgrade` still may.
 */
export function versionsToSkip(last: UpgradeRecord | null): string[] {
  return last?.outcome === 'failed' || last?.outcome === 'cancelled' ? [last.to] : [];
}

/** Pure: the status after a transition; `last` is kept unless given. */
export function transition(prev: UpdaterStatus | null, state: UpdaterState, detail: string, now: Date, extra: Partial<UpdaterStatus> = {}): UpdaterStatus {
  const base: UpdaterStatus = { state, detail, since: now.toISOString() };
  if (prev?.last) base.last = prev.last;
  if (prev?.staged && state !== 'idle' && state !== 'off') base.staged = prev.staged;
  return { ...base, ...extra };
}

/** Pure: the lines of `ros os upgrade --status`. */
export function describeStatus(s: UpdaterStatus | null, now: Date): string[][] {
  if (!s) return [['updater', 'has not run on this node (rancher.upgrade.auto is off, or the node has not booted since it was set)']];
  const ago = (iso: string): string => {
    const sec = Math.round((now.getTime() - Date.parse(iso)) / 1000);
    return sec < 0 ? `in ${-sec} s` : sec < 120 ? `${sec} s ago` : sec < 7200 ? `${Math.round(sec / 60)} min ago` : `${Math.round(sec / 3600)} h ago`;
  };
  const rows: string[][] = [['updater', `${s.state}: ${s.detail} (since ${s.since}, ${ago(s.since)})`]];
  if (s.progress) rows.push(['progress', s.progress]);
  if (s.staged) rows.push(['staged', `v${s.staged}, in the other slot; it is tried once at the next reboot`]);
  if (s.nextCheck) rows.push(['next check', `${s.nextCheck} (${ago(s.nextCheck)})`]);
  if (s.last) rows.push(['last', `${s.last.what} (${s.last.at}, ${ago(s.last.at)})`]);
  return rows;
}
