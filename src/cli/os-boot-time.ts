// `ros os boot-time`: this boot's timeline (written by init as it boots,
// docs/architecture.md "The boot") as a chart, or as JSON for tools.
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { TIMELINE_FILE, type BootTimeline } from '../init/boot-timeline';
import { criticalPath } from '../init/critical-path';
import { renderBootTime } from './boot-time-chart';
import { json, stdout } from './output';

/** Reads and checks a timeline file; the error says what to do instead. */
export function readTimeline(file: string): BootTimeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && file === TIMELINE_FILE) {
      throw new Error(`no boot timeline in ${file}: this is not a ros node, or it booted a ros that did not record one (older than this command); --file PATH reads a saved timeline`, { cause: err });
    }
    throw new Error(`read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let t: unknown;
  try {
    t = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!isTimeline(t)) throw new Error(`${file}: not a ros boot timeline (format 1)`);
  return t;
}

function isTimeline(t: unknown): t is BootTimeline {
  if (typeof t !== 'object' || t === null) return false;
  const o = t as Record<string, unknown>;
  return o.format === 1 && typeof o.initStart === 'number' && typeof o.updated === 'number' && Array.isArray(o.stages) && Array.isArray(o.milestones);
}

export const bootTimeCommand: CommandModule = {
  command: 'boot-time',
  describe: 'Show this boot as a chart: each stage from start to end, the milestones, the critical path',
  builder: (a: Argv) =>
    a
      .option('tasks', { type: 'boolean', describe: 'A row for each task, beneath its stage' })
      .option('file', { type: 'string', describe: `A saved timeline instead of this boot's (${TIMELINE_FILE})` })
      .option('width', { type: 'number', describe: 'Columns of the chart (default: the terminal\'s, else 80)' })
      .option('json', { type: 'boolean', describe: 'Print the timeline and its critical path as JSON' })
      .example('$0 os boot-time --tasks', 'this boot, task by task')
      .example('$0 os boot-time --file boot.json', 'a timeline saved from another node'),
  handler: (args) => {
    const t = readTimeline(typeof args.file === 'string' ? args.file : TIMELINE_FILE);
    if (args.json) return json({ ...t, criticalPath: criticalPath(t) }, stdout);
    const width = typeof args.width === 'number' && args.width > 0 ? args.width : (process.stdout.columns ?? 80);
    stdout.write(`${renderBootTime(t, { width, tasks: args.tasks === true }).join('\n')}\n`);
  },
};
