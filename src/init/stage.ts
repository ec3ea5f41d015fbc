// The boot as data (after Talos' machined): stages run in order, the tasks of
// a stage run concurrently. Each stage chooses what a failure means.
import type { Logger } from '../log/logger';
import type { BootContext } from './context';

export interface Task {
  name: string;
  run(ctx: BootContext): Promise<void> | void;
  /** Skip the task (logged as skipped) unless this holds. */
  when?(ctx: BootContext): boolean;
}

/**
 * `warn`: log and go on with the next stage.
 * `fatal`: the boot cannot go on; init drops to the recovery shell.
 */
export type ErrorPolicy = 'warn' | 'fatal';

export interface Stage {
  name: string;
  tasks: Task[];
  onError: ErrorPolicy;
}

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

export async function runStage(stage: Stage, index: number, total: number, ctx: BootContext, log: Logger, observer?: StageObserver): Promise<StageResult> {
  const start = Date.now();
  const failures: StageResult['failures'] = [];
  observer?.stageStart(stage);
  await Promise.all(
    stage.tasks.map(async (task) => {
      if (task.when && !task.when(ctx)) {
        log.debug(`task ${task.name}: skipped`);
        observer?.taskEnd(stage, task, 'skipped');
        return;
      }
      const t0 = Date.now();
      observer?.taskStart(stage, task);
      try {
        await task.run(ctx);
        log.debug(`task ${task.name}: done in ${Date.now() - t0} ms`);
        observer?.taskEnd(stage, task, 'done');
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        failures.push({ task: task.name, error });
        log.error({ err: error }, `task ${task.name}: failed: ${error.message}`);
        observer?.taskEnd(stage, task, 'failed');
      }
    }),
  );
  const ms = Date.now() - start;
  const ok = failures.length === 0;
  observer?.stageEnd(stage, ok);
  const what = ok ? 'done' : stage.onError === 'fatal' ? 'FAILED (fatal)' : 'failed, continuing';
  log.info(`stage ${stage.name} (${index + 1}/${total}): ${what} in ${ms} ms`);
  return { stage: stage.name, ok, ms, failures };
}
