// The boot as data (after Talos' machined): each stage names the stages it
// needs, and every stage whose needs have ended runs at once; the tasks of a
// stage run concurrently. Each stage chooses what a failure means, and each
// task has a time limit. The runner alone logs progress: a stage's start and
// end at info (the console), each task's at debug (/var/log/ros)
// (docs/architecture.md, "The boot").
import type { BootContext } from './context';

export interface Task {
  name: string;
  run(ctx: BootContext): Promise<void> | void;
  /** Skip the task (logged as skipped) unless this holds. */
  when?(ctx: BootContext): boolean;
}

/**
 * `warn`: log and go on; the stages that need this one still run.
 * `fatal`: the boot cannot go on; init drops to the recovery shell.
 */
export type ErrorPolicy = 'warn' | 'fatal';

export interface Stage {
  name: string;
  /** Stages that must have ended (done, failed under `warn`, or skipped) before this one starts. */
  needs: string[];
  tasks: Task[];
  onError: ErrorPolicy;
  /**
   * Hooks: run one after another once the tasks ended, before any stage that
   * needs this one starts. A hook's failure is logged and fails nothing; a
   * hook that finds the boot unable to go on sets `ctx.fatal`.
   */
  after?: Task[];
  /** A task (or hook) still running after this long counts as failed; it is not killed. */
  timeoutMs?: number;
  /** Printed when the stage succeeds. */
  milestone?: string;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** Told of every step the runner takes, e.g. to record the boot's timeline. */
export interface StageObserver {
  stageStart(stage: Stage): void;
  taskStart(stage: Stage, task: Task): void;
  taskEnd(stage: Stage, task: Task, status: 'done' | 'failed' | 'skipped'): void;
  stageEnd(stage: Stage, ok: boolean): void;
}

export interface StageResult {
  stage: string;
  ok: boolean;
  ms: number;
  failures: { task: string; error: Error }[];
}

/** Rejects once `ms` passed; the timer never keeps the process waiting. */
function timeLimit(ms: number): { expired: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  return { expired, clear: () => clearTimeout(timer) };
}

/** One task, timed and limited; null when it succeeded or was skipped. */
async function runTask(stage: Stage, task: Task, ctx: BootContext, observer?: StageObserver): Promise<Error | null> {
  if (task.when && !task.when(ctx)) {
    ctx.log.debug(`task ${stage.name}/${task.name}: skipped`);
    observer?.taskEnd(stage, task, 'skipped');
    return null;
  }
  const t0 = Date.now();
  observer?.taskStart(stage, task);
  ctx.log.debug(`task ${stage.name}/${task.name}: started`);
  const limit = timeLimit(stage.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await Promise.race([Promise.resolve().then(() => task.run(ctx)), limit.expired]);
    ctx.log.debug(`task ${stage.name}/${task.name}: done in ${Date.now() - t0} ms`);
    observer?.taskEnd(stage, task, 'done');
    return null;
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    ctx.log.error({ err: error }, `task ${stage.name}/${task.name}: failed in ${Date.now() - t0} ms: ${error.message}`);
    observer?.taskEnd(stage, task, 'failed');
    return error;
  } finally {
    limit.clear();
  }
}

/** One stage: its tasks at once, then its hooks in order. `index`/`total` only number the log line. */
export async function runStage(stage: Stage, index: number, total: number, ctx: BootContext, observer?: StageObserver): Promise<StageResult> {
  const start = Date.now();
  observer?.stageStart(stage);
  ctx.log.info(`stage ${stage.name} (${index + 1}/${total}): started${stage.needs.length > 0 ? ` (after ${stage.needs.join(', ')})` : ''}`);
  const errors = await Promise.all(stage.tasks.map(async (task) => ({ task: task.name, error: await runTask(stage, task, ctx, observer) })));
  const failures = errors.filter((f): f is StageResult['failures'][number] => f.error !== null);
  for (const hook of stage.after ?? []) await runTask(stage, hook, ctx, observer);
  const ms = Date.now() - start;
  const ok = failures.length === 0;
  observer?.stageEnd(stage, ok);
  const what = ok ? 'done' : stage.onError === 'fatal' ? 'FAILED (fatal)' : 'failed, continuing';
  ctx.log.info(`stage ${stage.name} (${index + 1}/${total}): ${what} in ${ms} ms`);
  return { stage: stage.name, ok, ms, failures };
}
