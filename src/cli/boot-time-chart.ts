// `ros os boot-time` as a chart (pure: a timeline and a width in, lines out).
// One row per stage (its tasks beneath with --tasks), each a bar from start to
// end on one time axis that starts when the kernel did; milestones as guides
// and rows of their own; the critical path drawn in '#'.
import type { BootTimeline, TaskSpan } from '../init/boot-timeline';
import { criticalPath } from '../init/critical-path';

export interface ChartOptions {
  /** Columns of the terminal; no line is longer than width - 1. */
  width: number;
  /** A row for each task, beneath its stage. */
  tasks: boolean;
}

interface Row {
  label: string;
  time: string;
  mark: string;
  start: number;
  end: number | null;
  fill: string;
}

const TIME_W = 7;
const MIN_BAR = 12;
const TICK_GAP = 7; // at least this many columns between tick labels
const STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

export function renderBootTime(t: BootTimeline, opts: ChartOptions): string[] {
  const path = new Set(criticalPath(t));
  const onPath = (stage: string, task?: string) => (task === undefined ? [...path].some((id) => id.startsWith(`${stage}/`)) : path.has(`${stage}/${task}`));

  const rows: Row[] = [{ label: 'kernel+initramfs', time: duration(t.initStart), mark: '', start: 0, end: t.initStart, fill: '.' }];
  for (const s of t.stages) {
    rows.push(spanRow(s, s.name, onPath(s.name)));
    if (opts.tasks) for (const k of s.tasks) rows.push(spanRow(k, `  ${k.name}`, onPath(s.name, k.name)));
  }
  const milestones = [...t.milestones].sort((a, b) => a.uptime - b.uptime);

  const labels = [...rows.map((r) => r.label), ...milestones.map((m) => m.name)];
  const nameW = Math.min(22, Math.max(12, ...labels.map((l) => l.length)));
  const prefixW = nameW + 1 + TIME_W + 3; // label, time, mark column
  const barW = Math.max(MIN_BAR, opts.width - 1 - prefixW);
  const spanEnd = Math.max(t.updated, ...milestones.map((m) => m.uptime), ...rows.map((r) => r.end ?? 0), 0.001);
  const col = (s: number) => Math.min(barW - 1, Math.max(0, Math.floor((s / spanEnd) * barW)));
  const guides = milestones.map((m) => col(m.uptime));

  const bar = (r: Row): string => {
    const cells = Array.from({ length: barW }, (_, i): string => (guides.includes(i) ? ':' : ' '));
    if (r.end !== null || r.fill !== ' ') {
      const from = col(r.start);
      const to = r.end === null ? col(t.updated) : Math.max(from, Math.min(barW - 1, Math.ceil((r.end / spanEnd) * barW) - 1));
      for (let i = from; i <= to; i++) cells[i] = r.fill;
      if (r.end === null) cells[to] = '>';
    }
    return cells.join('');
  };
  const line = (label: string, time: string, mark: string, rest: string) =>
    `${fit(label, nameW).padEnd(nameW)} ${time.padStart(TIME_W)} ${mark.padEnd(1)} ${rest}`.trimEnd();

  const out = [headline(t), ''];
  const { labelsRow, axisRow } = axis(spanEnd, barW, col);
  out.push(line('', '', '', labelsRow), line('STAGE', 'TIME', '', axisRow));
  for (const r of rows) out.push(line(r.label, r.time, r.mark, r.fill === ' ' ? '' : bar(r)));
  if (milestones.length > 0) {
    out.push(line('MILESTONE', 'UPTIME', '', ''));
    for (const m of milestones) {
      const cells = Array.from({ length: col(m.uptime) + 1 }, (_, i) => (i === col(m.uptime) ? '|' : guides.includes(i) ? ':' : ' '));
      out.push(line(m.name, duration(m.uptime), '', cells.join('')));
    }
  }
  out.push('', '#,* critical path   = other work   . before PID 1   : milestone   ! failed');
  return out;
}

function spanRow(k: TaskSpan, label: string, critical: boolean): Row {
  if (k.status === 'skipped') return { label, time: 'skipped', mark: '', start: k.start, end: k.end, fill: ' ' };
  const time = k.end === null ? 'running' : duration(k.end - k.start);
  const mark = k.status === 'failed' ? '!' : critical ? '*' : '';
  return { label, time, mark, start: k.start, end: k.end, fill: critical ? '#' : '=' };
}

function headline(t: BootTimeline): string {
  const complete = t.milestones.find((m) => m.name === 'boot-complete');
  const init = `PID 1 started at ${seconds(t.initStart)}`;
  if (t.outcome === 'complete' && complete) return `boot complete at ${seconds(complete.uptime)} uptime; ${init} (ros v${t.version})`;
  if (t.outcome === 'stopped') return `boot stopped at ${seconds(t.updated)} uptime: ${t.reason ?? 'no reason recorded'}; ${init} (ros v${t.version})`;
  return `booting: ${seconds(t.updated)} uptime at the last update; ${init} (ros v${t.version})`;
}

/** Tick labels every few columns, and the axis line with '+' at each tick. */
function axis(spanEnd: number, barW: number, col: (s: number) => number): { labelsRow: string; axisRow: string } {
  const step = STEPS.find((s) => (spanEnd / s) * TICK_GAP <= barW) ?? STEPS[STEPS.length - 1] ?? 3600;
  const labels = Array.from({ length: barW + 8 }, () => ' ');
  const line = Array.from({ length: barW }, () => '-');
  let free = 0;
  for (let i = 0; i * step <= spanEnd + 1e-9; i++) {
    const at = col(i * step);
    line[at] = '+';
    const text = `${tick(i * step)}${i === 0 ? 's' : ''}`;
    if (at < free) continue;
    for (const [j, ch] of [...text].entries()) labels[at + j] = ch;
    free = at + text.length + 1;
  }
  return { labelsRow: labels.join('').trimEnd(), axisRow: line.join('') };
}

function tick(s: number): string {
  return Number.isInteger(s) ? String(s) : s.toFixed(s < 0.1 ? 2 : 1);
}

function duration(s: number): string {
  return seconds(Math.max(0, s));
}

function seconds(s: number): string {
  return `${s < 10 ? s.toFixed(2) : s < 100 ? s.toFixed(1) : s.toFixed(0)} s`;
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}~`;
}
