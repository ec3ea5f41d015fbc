// Runs a list of stages as a graph: every stage whose needs have ended starts
// at once; a fatal failure, a task that sets ctx.fatal, or a stop (a shutdown
// began) starts nothing more. Stages still running then are left to finish
// on their own: their results no longer count (docs/architecture.md, "The boot").
import type { BootContext } from './context';
import { runStage, type Stage, type StageObserver, type StageResult } from './stage';
import { readyStages } from './stage-graph';

export interface RunOptions {
  observer?: StageObserver;
  /** A stage with a milestone succeeded (and nothing made the boot stop). */
  milestone?(name: string): void;
  /** Each stage's end, its hooks included. */
  stageEnd?(stage: Stage, result: StageResult): void;
  /** Asked before stages start: a reason stops the run. */
  stopped?(): string | null;
}

export interface RunOutcome {
  results: StageResult[];
  /** Why the run stopped before the end: ctx.fatal, or what `stopped()` said. */
  stopped?: string;
}

export async function runStages(stages: readonly Stage[], ctx: BootContext, opts: RunOptions = {}): Promise<RunOutcome> {
  const started = new Set<string>();
  const ended = new Set<string>();
  const running = new Map<string, Promise<{ stage: Stage; result: StageResult }>>();
  const results: StageResult[] = [];
  // A fatal judgement from before (the boot's, when the recovery shell asks for a reboot) stops nothing now.
  const fatalBefore = ctx.fatal;
  for (;;) {
    const stop = opts.stopped?.() ?? null;
    if (stop !== null) return { results, stopped: stop };
    for (const stage of readyStages(stages, started, ended)) {
      started.add(stage.name);
      const index = stages.indexOf(stage);
      running.set(stage.name, runStage(stage, index, stages.length, ctx, opts.observer).then((result) => ({ stage, result })));
    }
    if (running.size === 0) break;
    const { stage, result } = await Promise.race(running.values());
    running.delete(stage.name);
    ended.add(stage.name);
    results.push(result);
    opts.stageEnd?.(stage, result);
    if (!result.ok && stage.onError === 'fatal' && ctx.fatal === fatalBefore) {
      ctx.fatal = `stage ${stage.name}: ${result.failures.map((f) => `${f.task}: ${f.error.message}`).join('; ')}`;
    }
    if (ctx.fatal !== fatalBefore) return { results, stopped: ctx.fatal };
    if (result.ok && stage.milestone) opts.milestone?.(stage.milestone);
  }
  const never = stages.filter((s) => !started.has(s.name)).map((s) => s.name);
  // Only a list that failed checkStages() gets here; its unit test keeps the boot's from it.
  if (never.length > 0) return { results, stopped: `stages never ready: ${never.join(', ')}` };
  return { results };
}
