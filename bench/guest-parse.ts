// Pure: what `make bench` reads from a booted guest — /proc files, ros' boot
// timeline, the baseline's console markers — turned into numbers.
import type { BootTimeline } from '../src/init/boot-timeline';

const KIB_PER_MIB = 1024;

export interface Pid1Memory {
  rssMiB: number;
  pssMiB: number;
  /** Private_Clean + Private_Dirty: what PID 1 alone maps. */
  privateMiB: number;
  /**
   * Private_Dirty: its heaps, which nothing can reclaim. Private_Clean is
   * mostly the ros binary's pages, private only while no other process maps
   * them (before the console stopped being a Node process, it shared them).
   * Absent in reports older than this field.
   */
  privateDirtyMiB?: number;
}

/** `name:   1234 kB` lines of /proc files, in KiB. */
function kibFields(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^(\w+):\s+(\d+) kB$/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}

function need(fields: Map<string, number>, name: string, file: string): number {
  const v = fields.get(name);
  if (v === undefined) throw new Error(`${file}: no ${name} line`);
  return v;
}

/** /proc/1/smaps_rollup → PID 1's resident, proportional and private memory. */
export function parseSmapsRollup(text: string): Pid1Memory {
  const f = kibFields(text);
  const file = '/proc/1/smaps_rollup';
  return {
    rssMiB: need(f, 'Rss', file) / KIB_PER_MIB,
    pssMiB: need(f, 'Pss', file) / KIB_PER_MIB,
    privateMiB: (need(f, 'Private_Clean', file) + need(f, 'Private_Dirty', file)) / KIB_PER_MIB,
    privateDirtyMiB: need(f, 'Private_Dirty', file) / KIB_PER_MIB,
  };
}

/** /proc/meminfo → memory in use, MemTotal − MemAvailable, in MiB. */
export function memoryUsedMiB(meminfo: string): number {
  const f = kibFields(meminfo);
  return (need(f, 'MemTotal', '/proc/meminfo') - need(f, 'MemAvailable', '/proc/meminfo')) / KIB_PER_MIB;
}

export interface Durations {
  /** Seconds from each stage's start to its end, by stage name. */
  stages: Record<string, number>;
  /** The same for each task, as `stage/task`. */
  tasks: Record<string, number>;
}

/** A boot timeline's finished stages and tasks as durations (a stage that ran twice: the sum). */
export function timelineDurations(t: BootTimeline): Durations {
  const stages: Record<string, number> = {};
  const tasks: Record<string, number> = {};
  const add = (into: Record<string, number>, key: string, start: number, end: number | null) => {
    if (end !== null) into[key] = round((into[key] ?? 0) + end - start);
  };
  for (const s of t.stages) {
    add(stages, s.name, s.start, s.end);
    for (const task of s.tasks) add(tasks, `${s.name}/${task.name}`, task.start, task.end);
  }
  return { stages, tasks };
}

/** The first JSON object in console output (a command's output may carry prompt noise around it). */
export function jsonIn(output: string): unknown {
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`no JSON object in: ${output.slice(0, 200)}`);
  return JSON.parse(output.slice(start, end + 1));
}

export interface BaselineMarkers {
  /** `init-start`, `docker-ready`: uptime in seconds. */
  milestones: Record<string, number>;
  memoryUsedMiB: number | null;
}

/** The `[bench] …` lines bench/baseline-init.sh prints on the console. */
export function baselineMarkers(console: string): BaselineMarkers {
  const milestones: Record<string, number> = {};
  for (const m of console.matchAll(/^\[bench\] ([\w-]+) uptime=(\d+(?:\.\d+)?)\r?$/gm)) milestones[m[1] ?? ''] ??= Number(m[2]);
  const mem = /^\[bench\] memory-used kib=(\d+)\r?$/m.exec(console);
  return { milestones, memoryUsedMiB: mem ? Number(mem[1]) / KIB_PER_MIB : null };
}

export interface KernelMarks {
  /** `initramfs-unpacked`, `run-init`: uptime in seconds, from the kernel's printk timestamps. */
  milestones: Record<string, number>;
  /** Seconds the kernel spent unpacking the initramfs. */
  unpackS: number | null;
}

/** What the kernel prints on the console before init: when it unpacked the initramfs and started /init. */
export function kernelMarks(console: string): KernelMarks {
  const at = (words: string) => {
    const m = new RegExp(String.raw`^\[\s*(\d+\.\d+)\] ${words}`, 'm').exec(console);
    return m ? Number(m[1]) : undefined;
  };
  const start = at('Trying to unpack rootfs image as initramfs');
  const unpacked = at('Freeing initrd memory');
  const runInit = at('Run /init as init process');
  const milestones: Record<string, number> = {};
  if (unpacked !== undefined) milestones['initramfs-unpacked'] = unpacked;
  if (runInit !== undefined) milestones['run-init'] = runInit;
  return { milestones, unpackS: start !== undefined && unpacked !== undefined ? round(unpacked - start) : null };
}

const round = (s: number) => Math.round(s * 1000) / 1000;
