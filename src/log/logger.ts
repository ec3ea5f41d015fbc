// The one logger. JSON lines go to /var/log/ros/<name>.log and /dev/kmsg; the
// console gets short readable lines. Only synchronous destinations: pino
// transports use worker threads, which do not work inside the SEA.
import { mkdirSync, openSync, writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { formatConsoleLine } from './console-format';

export type { Logger };

export interface LoggerOptions {
  name: string;
  /** Directory for the JSON log file; omitted = no file. */
  dir?: string;
  /** Also write each record to /dev/kmsg (PID 1 only: the console is not up yet, kmsg is). */
  kmsg?: boolean;
  /** Where the short human lines go; omitted = stderr. */
  consoleFd?: number;
  level?: pino.Level;
}

/** A destination that swallows write errors: a full disk or a missing /dev/kmsg must never crash PID 1. */
function fdStream(fd: number, transform: (line: string) => string | null = (l) => l) {
  return {
    write(line: string): void {
      const out = transform(line);
      if (out === null) return;
      try {
        writeSync(fd, out);
      } catch {
        /* nothing sensible to do: logging must not throw */
      }
    },
  };
}

function openAppend(path: string): number | null {
  try {
    return openSync(path, 'a');
  } catch {
    return null;
  }
}

export function createLogger(opts: LoggerOptions): Logger {
  const streams: pino.StreamEntry[] = [
    { level: 'info', stream: fdStream(opts.consoleFd ?? 2, (l) => formatConsoleLine(l)) },
  ];
  if (opts.dir) {
    try {
      mkdirSync(opts.dir, { recursive: true });
      const fd = openAppend(`${opts.dir}/${opts.name}.log`);
      if (fd !== null) streams.push({ level: 'debug', stream: fdStream(fd) });
    } catch {
      /* no log dir: console only */
    }
  }
  if (opts.kmsg) {
    const fd = openAppend('/dev/kmsg');
    // The kernel takes one record per write(2) and needs the trailing newline.
    // Priority <7> (debug) keeps the records off the console, which already
    // has the short line; `dmesg` still shows them.
    if (fd !== null) streams.push({ level: 'info', stream: fdStream(fd, (l) => `<7>${l.length > 900 ? `${l.slice(0, 899)}\n` : l}`) });
  }
  return pino(
    { name: opts.name, level: opts.level ?? 'debug', base: { name: opts.name }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
}
