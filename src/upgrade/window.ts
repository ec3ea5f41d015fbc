// Maintenance windows and check intervals of the updater (docs/architecture.md,
// "Automatic updates"). Pure. Times are UTC: a ros node has no time zone.
//
//   Sun 02:00-04:00        Sundays from 02:00 to 04:00
//   Sat,Sun 23:30-01:00    a window may cross midnight; it belongs to the day it starts
//   daily 02:00-04:00      every day (so does a bare 02:00-04:00)

export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

export interface Window {
  /** Weekdays (0 = Sunday) the window starts on; null: every day. */
  days: number[] | null;
  /** Minutes after midnight. */
  start: number;
  /** Length in minutes, 1–1440. */
  length: number;
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

function clock(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** Pure: the window `text` describes, or why it is not one. */
export function parseWindow(text: string): Window | { error: string } {
  const words = text.trim().split(/\s+/);
  const range = words.pop() ?? '';
  if (words.length > 1) return { error: `window ${JSON.stringify(text)}: expected [DAYS] HH:MM-HH:MM, e.g. "Sun 02:00-04:00" or "daily 02:00-04:00"` };
  let days: number[] | null = null;
  const dayWord = words[0];
  if (dayWord !== undefined && dayWord.toLowerCase() !== 'daily') {
    days = [];
    for (const d of dayWord.split(',')) {
      const i = DAYS.findIndex((n) => n.toLowerCase() === d.toLowerCase());
      if (i < 0) return { error: `window ${JSON.stringify(text)}: ${JSON.stringify(d)} is not a day (${DAYS.join(', ')} or daily)` };
      if (!days.includes(i)) days.push(i);
    }
    days.sort();
  }
  const [from, to, ...rest] = range.split('-');
  const start = clock(from ?? '');
  const end = clock(to ?? '');
  if (start === null || end === null || rest.length > 0) return { error: `window ${JSON.stringify(text)}: ${JSON.stringify(range)} is not HH:MM-HH:MM (24-hour, UTC)` };
  return { days, start, length: end > start ? end - start : end + 1440 - start };
}

/** Pure: the window that contains `now`, else the next one to start. */
export function nextWindow(w: Window, now: Date): { start: Date; end: Date } {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  // Yesterday's window may still be open (one that crosses midnight); a week ahead always has one.
  for (let d = -1; d <= 8; d++) {
    const day = midnight + d * DAY;
    if (w.days && !w.days.includes(new Date(day).getUTCDay())) continue;
    const start = day + w.start * MINUTE;
    const end = start + w.length * MINUTE;
    if (end > now.getTime()) return { start: new Date(start), end: new Date(end) };
  }
  throw new Error('unreachable: a window with days opens within a week');
}

export function inWindow(w: Window, now: Date): boolean {
  return nextWindow(w, now).start.getTime() <= now.getTime();
}

/** Pure: seconds of a duration such as `1h`, `30m`, `1h30m`, `45s` or `1d`, or null. */
export function parseDuration(text: string): number | null {
  if (!/^(?:\d+[smhd])+$/.test(text)) return null;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  let s = 0;
  for (const m of text.matchAll(/(\d+)([smhd])/g)) s += Number(m[1]) * (unit[m[2] as string] ?? 0);
  return s > 0 ? s : null;
}

/**
 * Pure: milliseconds until the next check: the interval plus up to a tenth of
 * it more (at most 10 minutes), so nodes booted together drift apart and do
 * not all ask the server at once. `random` is in [0, 1).
 */
export function nextCheckDelay(intervalS: number, random: number): number {
  const jitter = Math.min(intervalS * 0.1, 600);
  return Math.round((intervalS + jitter * random) * 1000);
}
