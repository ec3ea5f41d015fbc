// This boot's timeline as data: every stage and task with its start and end,
// and every milestone, in seconds of uptime. Init rewrites the file after each
// step, so it exists (and says how far the boot got) even when the boot stops
// midway; `ros os boot-time` draws it (docs/architecture.md, "The boot").
import { atomicWrite } from '../sys/atomic-write';
import type { ErrorPolicy, Stage, StageObserver, Task } from './stage';

export const TIMELINE_FILE = '/run/ros/boot-timeline.json';

export type SpanStatus = 'running' | 'done' | 'failed' | 'skipped';

export interface TaskSpan {
  name: string;
  /** Uptime in seconds. A skipped task starts and ends when it was skipped. */
  start: number;
  /** null while it runs. */
  end: number | null;
  status: SpanStatus;
  /** What the task waited for (`stage` or `stage/task`); empty: what its stage needs. */
  needs: string[];
}

export interface StageSpan extends TaskSpan {
  onError: ErrorPolicy;
  tasks: TaskSpan[];
}

export interface BootTimeline {
  format: 1;
  /** ros version that booted. */
  version: string;
  /** Uptime when PID 1 started: what comes before is the kernel and the initramfs. */
  initStart: number;
  /** Uptime of the last write; the end of whatever still runs. */
  updated: number;
  outcome: 'booting' | 'complete' | 'stopped';
  /** Why the boot stopped (a fatal stage, a power event). */
  reason?: string;
  stages: StageSpan[];
  milestones: { name: string; uptime: number }[];
}

export interface RecorderOptions {
  version: string;
  /** Monotonic seconds since the process started. */
  clock?: () => number;
  write?: (file: string, text: string) => void;
  file?: string;
  /** Told about the first failed write only: the timeline is a report, never a reason to stop. */
  warn?: (message: string) => void;
  /**
   * Steps within this many milliseconds share one write (default 250; 0: a
   * write per step). A write per step cost PID 1 ~0.5 s of CPU before
   * system-docker-ready under emulation; the end of the boot is written at once.
   */
  coalesceMs?: number;
}

/**
 * Collects the timeline as the stage runner reports it (a `StageObserver`).
 * Times are kept on the process' monotonic clock and turned into uptime once
 * `anchor()` is called with /proc/uptime: before the early stage mounts /proc
 * there is no uptime to read (and no /run to write to), so nothing is written
 * until then.
 */
export class BootTimelineRecorder implements StageObserver {
  private offset: number | null = null;
  private readonly stages: StageSpan[] = [];
  private readonly milestones: BootTimeline['milestones'] = [];
  private outcome: BootTimeline['outcome'] = 'booting';
  private reason: string | undefined;
  private warned = false;
  private readonly clock: () => number;
  private readonly write: (file: string, text: string) => void;
  private readonly file: string;
  private pending: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: RecorderOptions) {
    this.clock = opts.clock ?? (() => performance.now() / 1000);
    this.write = opts.write ?? ((file, text) => atomicWrite(file, text));
    this.file = opts.file ?? TIMELINE_FILE;
  }

  /** Ties the monotonic clock to uptime (seconds from /proc/uptime, read now). */
  anchor(uptime: number): void {
    this.offset = uptime - this.clock();
    this.flush();
  }

  /** anchor(), unless done already. */
  anchorOnce(uptime: number): void {
    if (this.offset === null) this.anchor(uptime);
  }

  stageStart(stage: Stage): void {
    this.stages.push({ name: stage.name, onError: stage.onError, start: this.clock(), end: null, status: 'running', needs: [...stage.needs], tasks: [] });
    this.flush();
  }

  taskStart(stage: Stage, task: Task): void {
    this.stageSpan(stage)?.tasks.push({ name: task.name, start: this.clock(), end: null, status: 'running', needs: needsOf(stage, task) });
    this.flush();
  }

  taskEnd(stage: Stage, task: Task, status: 'done' | 'failed' | 'skipped'): void {
    const span = this.stageSpan(stage);
    if (!span) return;
    let t = span.tasks.find((x) => x.name === task.name && x.end === null);
    if (!t) {
      // A skipped task never started.
      t = { name: task.name, start: this.clock(), end: null, status, needs: needsOf(stage, task) };
      span.tasks.push(t);
    }
    t.end = this.clock();
    t.status = status;
    this.flush();
  }

  stageEnd(stage: Stage, ok: boolean): void {
    const span = this.stageSpan(stage);
    if (!span) return;
    span.end = this.clock();
    span.status = ok ? 'done' : 'failed';
    this.flush();
  }

  /** A milestone as printed on the console (its uptime read from /proc). */
  milestone(m: { name: string; uptime: number }): void {
    this.milestones.push({ name: m.name, uptime: m.uptime });
    this.flush();
  }

  finish(outcome: 'complete' | 'stopped', reason?: string): void {
    this.outcome = outcome;
    this.reason = reason;
    this.writeNow();
  }

  /** The timeline so far, in uptime seconds; null before `anchor()`. */
  snapshot(): BootTimeline | null {
    const offset = this.offset;
    if (offset === null) return null;
    const at = (s: number) => round(s + offset);
    const span = (t: TaskSpan): TaskSpan => ({ ...t, start: at(t.start), end: t.end === null ? null : at(t.end), needs: [...t.needs] });
    return {
      format: 1,
      version: this.opts.version,
      initStart: at(0),
      updated: at(this.clock()),
      outcome: this.outcome,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      stages: this.stages.map((s) => ({ ...span(s), onError: s.onError, tasks: s.tasks.map(span) })),
      milestones: this.milestones.map((m) => ({ ...m })),
    };
  }

  private stageSpan(stage: Stage): StageSpan | undefined {
    return [...this.stages].reverse().find((s) => s.name === stage.name);
  }

  private flush(): void {
    const delay = this.opts.coalesceMs ?? 250;
    if (delay <= 0) return this.writeNow();
    this.pending ??= setTimeout(() => this.writeNow(), delay);
  }

  private writeNow(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    const t = this.snapshot();
    if (!t) return;
    try {
      this.write(this.file, `${JSON.stringify(t, null, 1)}\n`);
    } catch (err) {
      if (!this.warned) this.opts.warn?.(`boot timeline: write ${this.file}: ${(err as Error).message}`);
      this.warned = true;
    }
  }
}

/** A hook waits for its stage's tasks; a task for what its stage needs (recorded on the stage: none of its own). */
function needsOf(stage: Stage, task: Task): string[] {
  return stage.after?.includes(task) ? stage.tasks.map((k) => `${stage.name}/${k.name}`) : [];
}

/** Milliseconds are as fine as a boot chart needs. */
const round = (s: number) => Math.round(s * 1000) / 1000;
