// Reading /proc: uptime, process status. Small and synchronous on purpose:
// PID 1 calls these from signal handlers and timers.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export function uptime(): number {
  try {
    return parseFloat(readFileSync('/proc/uptime', 'utf8').split(' ')[0] ?? '0');
  } catch {
    return process.uptime();
  }
}

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
}

/** Parses /proc/<pid>/stat; comm may hold spaces and parens, so split at the LAST ')'. */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  const pid = parseInt(text.slice(0, open), 10);
  const ppid = parseInt(rest[1] ?? '', 10);
  if (!Number.isFinite(pid) || !Number.isFinite(ppid)) return null;
  return { pid, comm: text.slice(open + 1, close), state: rest[0] ?? '?', ppid };
}

export function listProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (st) out.push(st);
    } catch {
      /* exited while we looked */
    }
  }
  return out;
}

/** Pure: the pids of a /proc/<pid>/task/<tid>/children file (`"12 34 "`). */
export function parseChildren(text: string): number[] {
  return text.split(' ').filter((w) => /^\d+$/.test(w)).map(Number);
}

/**
 * The status of `pid`'s children, zombies included, from the kernel's list of
 * each of its threads' children: a few files, where a scan of every process
 * reads one per process and kernel thread. Without that list (a kernel built
 * without CONFIG_PROC_CHILDREN), every process.
 */
export function childProcesses(pid: number): ProcStat[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
    readFileSync(`/proc/${pid}/task/${pid}/children`);
  } catch {
    return listProcesses().filter((p) => p.ppid === pid);
  }
  const pids = new Set<number>();
  for (const tid of tids) {
    try {
      for (const child of parseChildren(readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8'))) pids.add(child);
    } catch {
      /* the thread exited while we looked */
    }
  }
  const out: ProcStat[] = [];
  for (const child of pids) {
    try {
      const st = parseStat(readFileSync(`/proc/${child}/stat`, 'utf8'));
      if (st) out.push(st);
    } catch {
      /* reaped while we looked */
    }
  }
  return out;
}

/** The program PID 1 runs, as its own mount namespace names it; null when it cannot be read (not root, no /proc). */
export function pid1Exe(): string | null {
  try {
    return readlinkSync('/proc/1/exe');
  } catch {
    return null;
  }
}

/** PID 1's command name, readable even where its executable link is not (a container, a hardened /proc). */
export function pid1Comm(): string | null {
  try {
    return readFileSync('/proc/1/comm', 'utf8').trim() || null;
  } catch {
    return null;
  }
}
