// Pure: `make bench`'s report — medians of the runs, each ros milestone as a
// multiple of the baseline's docker-ready, the targets of issue 13, and the
// text table with the change since the previous report. Ratios are the
// figures to read: absolute seconds move with the load of the machine, the
// ratio of two boots alternated in one run much less (README, "make bench").
import type { Pid1Memory } from './guest-parse';

export const REPORT_FORMAT = 2;
export const ROS_MILESTONES = ['init-start', 'system-docker-ready', 'services-started', 'user-docker-ready', 'boot-complete'];
export const BASELINE_MILESTONES = ['init-start', 'docker-ready'];
/** Read from the kernel's own lines on the console, for both (bench/guest-parse.ts, kernelMarks). */
export const KERNEL_MILESTONES = ['initramfs-unpacked', 'run-init'];

export interface BaselineRun {
  milestones: Record<string, number>;
  /** Seconds the kernel took to unpack the initramfs. */
  unpackS: number | null;
  memoryUsedMiB: number | null;
  log: string;
  /** Why the boot or a probe failed; what was measured before it is kept. */
  error?: string;
}

export interface RosRun {
  milestones: Record<string, number>;
  unpackS: number | null;
  stages: Record<string, number>;
  tasks: Record<string, number>;
  pid1: Pid1Memory | null;
  memoryUsedMiB: number | null;
  log: string;
  error?: string;
}

export interface Target {
  name: string;
  value: number | null;
  limit: number;
  unit: '×' | 'MiB';
  /** null: not measured (a boot failed), which is not a pass. */
  pass: boolean | null;
}

export interface Summary {
  baseline: Record<string, number>;
  ros: Record<string, number>;
  /** Each ros milestone's median over the baseline's median docker-ready. */
  ratios: Record<string, number>;
  stages: Record<string, number>;
  tasks: Record<string, number>;
  /** ros from RAM, ros on a state disk (its second boot: the root image is read from the disk), the baseline. */
  memoryUsedMiB: { ros: number | null; stateDisk?: number | null; baseline: number | null };
  unpackS: { ros: number | null; baseline: number | null };
  pid1: Pid1Memory | null;
  /** boot-complete of the two boots on one state disk, and second / first. */
  stateDisk: { first: number; second: number; ratio: number } | null;
  targets: Target[];
}

export interface BenchReport {
  format: typeof REPORT_FORMAT;
  date: string;
  commit: string;
  n: number;
  /** MiB */
  sizes: Record<string, number>;
  cliStartupMs: number;
  baseline: BaselineRun[];
  ros: RosRun[];
  stateDisk: { first: RosRun; second: RosRun } | null;
  summary: Summary;
}

export function median(xs: readonly number[]): number | null {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Per key, the median over the records that have it; keys in first-seen order. */
export function medianRecord(records: readonly Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const out: Record<string, number> = {};
  for (const k of keys) {
    const m = median(records.flatMap((r) => (r[k] === undefined ? [] : [r[k]])));
    if (m !== null) out[k] = m;
  }
  return out;
}

function medianOf<T>(items: readonly T[], pick: (t: T) => number | null | undefined): number | null {
  return median(items.flatMap((t) => {
    const v = pick(t);
    return v === null || v === undefined ? [] : [v];
  }));
}

function target(name: string, value: number | null | undefined, limit: number, unit: Target['unit']): Target {
  const v = value ?? null;
  return { name, value: v, limit, unit, pass: v === null ? null : v <= limit };
}

/** The targets of issue 13 ("Boot fast and light"). */
export function targets(s: Omit<Summary, 'targets'>): Target[] {
  return [
    target('system-docker-ready ≤ 1.2 × baseline docker-ready', s.ratios['system-docker-ready'], 1.2, '×'),
    target('user-docker-ready ≤ 2.0 × baseline docker-ready', s.ratios['user-docker-ready'], 2.0, '×'),
    target('second state-disk boot no slower than the first', s.stateDisk?.ratio, 1.0, '×'),
    target('memory in use after boot-complete ≤ 300 MiB, from RAM', s.memoryUsedMiB.ros, 300, 'MiB'),
    target('memory in use after boot-complete ≤ 300 MiB, state disk', s.memoryUsedMiB.stateDisk, 300, 'MiB'),
  ];
}

export function summarise(baseline: readonly BaselineRun[], ros: readonly RosRun[], stateDisk: BenchReport['stateDisk']): Summary {
  const b = medianRecord(baseline.map((r) => r.milestones));
  const r = medianRecord(ros.map((x) => x.milestones));
  const ready = b['docker-ready'];
  const ratios: Record<string, number> = {};
  if (ready) for (const [k, v] of Object.entries(r)) ratios[k] = v / ready;
  const first = stateDisk?.first.milestones['boot-complete'];
  const second = stateDisk?.second.milestones['boot-complete'];
  const pid1s = ros.flatMap((x) => (x.pid1 ? [x.pid1] : []));
  const s: Omit<Summary, 'targets'> = {
    baseline: b,
    ros: r,
    ratios,
    stages: medianRecord(ros.map((x) => x.stages)),
    tasks: medianRecord(ros.map((x) => x.tasks)),
    memoryUsedMiB: {
      ros: medianOf(ros, (x) => x.memoryUsedMiB),
      stateDisk: stateDisk?.second.memoryUsedMiB ?? null,
      baseline: medianOf(baseline, (x) => x.memoryUsedMiB),
    },
    unpackS: { ros: medianOf(ros, (x) => x.unpackS), baseline: medianOf(baseline, (x) => x.unpackS) },
    pid1: pid1s.length
      ? {
        rssMiB: medianOf(pid1s, (p) => p.rssMiB)!,
        pssMiB: medianOf(pid1s, (p) => p.pssMiB)!,
        privateMiB: medianOf(pid1s, (p) => p.privateMiB)!,
        privateDirtyMiB: medianOf(pid1s, (p) => p.privateDirtyMiB) ?? undefined,
      }
      : null,
    stateDisk: first !== undefined && second !== undefined ? { first, second, ratio: second / first } : null,
  };
  return { ...s, targets: targets(s) };
}

/** The latest report of this format among `reports` (name → parsed JSON), by name (names are timestamps). */
export function latestReport(reports: readonly { name: string; json: unknown }[]): BenchReport | null {
  const ok = reports.filter((r) => (r.json as { format?: unknown } | null)?.format === REPORT_FORMAT).sort((a, b) => a.name.localeCompare(b.name));
  return (ok.at(-1)?.json as BenchReport | undefined) ?? null;
}
