// Boot milestones: one exact line each on the console, and a record in
// /run/ros/milestones.jsonl so `ros os boot-time` (and tests) can show the timeline.
import { appendFileSync, mkdirSync, readFileSync, writeSync } from 'node:fs';
import { uptime } from '../sys/proc';

export const MILESTONE_FILE = '/run/ros/milestones.jsonl';

export interface Milestone {
  name: string;
  uptime: number;
  [extra: string]: string | number;
}

export function formatMilestone(m: Milestone): string {
  const extras = Object.entries(m)
    .filter(([k]) => k !== 'name' && k !== 'uptime')
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  return `[ros] milestone=${m.name} uptime=${m.uptime.toFixed(2)}${extras}`;
}

export function parseMilestoneLine(line: string): Milestone | null {
  const m = /^\[ros\] milestone=(\S+) uptime=([\d.]+)(.*)$/.exec(line.trim());
  if (!m) return null;
  const out: Milestone = { name: m[1] ?? '', uptime: parseFloat(m[2] ?? '0') };
  for (const kv of (m[3] ?? '').trim().split(/\s+/).filter(Boolean)) {
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/** Writes the console line directly (not through the logger) so its form never changes. */
export function milestone(name: string, extra: Record<string, string> = {}, write: (line: string) => void = defaultWrite, opts: { afterShell?: boolean } = {}): Milestone {
  const m: Milestone = { name, uptime: uptime(), ...extra };
  // Once gettys run, the cursor may sit after a shell prompt: start a fresh
  // line so the milestone is still a line of its own.
  write(`${opts.afterShell ? '\r\n' : ''}${formatMilestone(m)}\n`);
  try {
    mkdirSync('/run/ros', { recursive: true });
    appendFileSync(MILESTONE_FILE, `${JSON.stringify(m)}\n`);
  } catch {
    /* /run not mounted yet or read-only: the console line is what counts */
  }
  return m;
}

function defaultWrite(line: string): void {
  try {
    writeSync(1, line);
  } catch {
    /* console gone */
  }
}

export function readMilestones(file = MILESTONE_FILE): Milestone[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Milestone);
  } catch {
    return [];
  }
}
