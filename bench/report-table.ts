// Pure: the short text `make bench` prints — the milestone table, the targets
// with pass/miss, and each ratio's change since the previous report.
import { BASELINE_MILESTONES, KERNEL_MILESTONES, ROS_MILESTONES, type BenchReport, type Target } from './report';

const s1 = (x: number | null | undefined, unit = 's') => (x === null || x === undefined ? '-' : `${x.toFixed(1)} ${unit}`);
const x2 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${x.toFixed(2)} ×`);
const delta = (now: number | undefined, before: number | undefined) =>
  now === undefined || before === undefined ? '' : `${now - before >= 0 ? '+' : ''}${(now - before).toFixed(2)}`;

function columns(rows: string[][], rightFrom = 1): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i < rightFrom ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

function targetLine(t: Target, before: Target | undefined): string {
  const verdict = t.pass === null ? 'n/a ' : t.pass ? 'pass' : 'miss';
  const value = t.value === null ? 'not measured' : t.unit === 'MiB' ? `${t.value.toFixed(0)} MiB` : x2(t.value);
  const was = before?.value === null || before?.value === undefined ? '' : ` (previous ${t.unit === 'MiB' ? `${before.value.toFixed(0)} MiB` : x2(before.value)})`;
  return `  ${verdict}  ${t.name}: ${value}${was}`;
}

const joinKV = (r: Record<string, number>, unit: string, digits = 1) =>
  Object.entries(r).map(([k, v]) => `${k} ${v.toFixed(digits)}${unit}`).join(' · ');

function failures(r: BenchReport): string[] {
  const runs = [
    ...r.baseline.map((x, i) => [`baseline ${i + 1}`, x] as const),
    ...r.ros.map((x, i) => [`ros ${i + 1}`, x] as const),
    ...(r.stateDisk ? ([['state disk first', r.stateDisk.first], ['state disk second', r.stateDisk.second]] as const) : []),
  ];
  return runs.flatMap(([name, x]) => (x.error ? [`FAILED ${name}: ${x.error} (console: ${x.log})`] : []));
}

/** The report as lines of text; `previous` adds a column of its ratios and their change. */
export function renderReport(r: BenchReport, previous: BenchReport | null): string[] {
  const s = r.summary;
  const p = previous?.summary;
  const head = ['milestone (median)', 'baseline', 'ros', '× baseline docker-ready', ...(p ? ['previous ×', 'Δ'] : [])];
  const names = [...new Set([...KERNEL_MILESTONES, ...BASELINE_MILESTONES, ...ROS_MILESTONES])];
  const rows = names.map((m) => [
    m,
    s1(s.baseline[m]),
    s1(s.ros[m]),
    x2(s.ratios[m]),
    ...(p ? [x2(p.ratios[m]), delta(s.ratios[m], p.ratios[m])] : []),
  ]);
  const mem = s.memoryUsedMiB;
  const out = [
    `make bench: N=${r.n} cold boots each of the baseline and ros, alternated; ros ${r.commit}, ${r.date}`,
    ...(previous ? [`previous report: ${previous.date} (ros ${previous.commit}, N=${previous.n})`] : ['previous report: none']),
    '',
    ...columns([head, ...rows]),
    '',
    `initramfs unpack (kernel, median): baseline ${s1(s.unpackS.baseline)} · ros ${s1(s.unpackS.ros)}`,
    `ros stages (median s): ${joinKV(s.stages, '')}`,
    `state disk, boot-complete: ${s.stateDisk ? `first ${s1(s.stateDisk.first)} · second ${s1(s.stateDisk.second)} · second/first ${x2(s.stateDisk.ratio)}` : 'not measured'}`,
    `memory in use (MemTotal − MemAvailable): ros after boot-complete, from RAM ${s1(mem.ros, 'MiB')} · on a state disk (second boot) ${s1(mem.stateDisk ?? null, 'MiB')} · baseline after docker-ready ${s1(mem.baseline, 'MiB')}`,
    `PID 1 of ros (/proc/1/smaps_rollup): ${s.pid1 ? `Rss ${s1(s.pid1.rssMiB, 'MiB')} · Pss ${s1(s.pid1.pssMiB, 'MiB')} · private ${s1(s.pid1.privateMiB, 'MiB')}${s.pid1.privateDirtyMiB === undefined ? '' : ` (dirty ${s1(s.pid1.privateDirtyMiB, 'MiB')})`}` : 'not measured'}`,
    `sizes: ${joinKV(r.sizes, ' MiB')}`,
    `ros --version on the host: ${r.cliStartupMs.toFixed(0)} ms`,
    ...failures(r),
    '',
    'targets (issue 13, medians):',
    ...s.targets.map((t) => targetLine(t, p?.targets.find((b) => b.name === t.name))),
  ];
  return out;
}
