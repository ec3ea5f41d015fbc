// PID 1. Its duties, in order: a clean environment, safety nets, signals,
// the boot (the stage graph of boot.ts), then supervision. It never exits:
// a kernel panic is the only thing worse than a failed boot.
import { parseCmdline } from '../config/cmdline';
import { applyEnv, sanitisedEnv } from '../sys/env';
import { version } from '../version';
import { createLogger, type Logger } from '../log/logger';
import { BOOT } from './boot';
import { BootTimelineRecorder } from './boot-timeline';
import type { BootContext } from './context';
import { milestone } from './milestones';
import { SIGNAL_ACTIONS } from './power';
import { recoveryShell } from './recovery';
import { runStages } from './run-stages';
import { shutdown, shutdownInProgress } from './shutdown';
import { loadLayeredConfig } from './stages/config';
import { startSystemServices } from './stages/docker';
import { reapplyNetworkIfChanged } from './stages/network';
import { superviseSystemDocker } from './supervisor';
import { startUpdater } from './updater';
import { startSwarmAgent } from './swarm';
import { giveUp, trialComplete, trialReached } from './slot-boot';

function installSafetyNets(getLog: () => Logger): void {
  process.on('uncaughtException', (err) => getLog().error({ err }, `uncaught exception: ${err.message}`));
  process.on('unhandledRejection', (err) => getLog().error({ err }, `unhandled rejection: ${(err as Error)?.message ?? String(err)}`));
}

function installSignals(ctx: BootContext): void {
  for (const [sig, act] of Object.entries(SIGNAL_ACTIONS)) {
    process.on(sig as NodeJS.Signals, () => {
      if (!act) return;
      if (act.kind === 'reload') {
        void reload(ctx);
        return;
      }
      void shutdown(ctx, act.action, act.reason).catch((err: Error) => ctx.log.error(`shutdown: ${err.message}`));
    });
  }
  // Without a listener SIGUSR1 would open the inspector; handled above. Ignore the rest that kill by default.
  for (const sig of ['SIGQUIT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGPIPE', 'SIGALRM'] as const) process.on(sig, () => {});
}

let bootComplete = false;

/** SIGHUP: read the config layers again, re-apply a changed network, and reconcile the system services. */
async function reload(ctx: BootContext): Promise<void> {
  if (shutdownInProgress() || !ctx.systemDocker) return;
  ctx.log.info('SIGHUP: reloading config');
  try {
    await loadLayeredConfig.run(ctx);
    // Each failed network step is logged where it fails; the services are reconciled all the same.
    await reapplyNetworkIfChanged(ctx, ctx.config.rancher?.network, 'reload').catch(() => {});
    await startSystemServices.run(ctx);
    // rancher.upgrade may have changed: the updater follows it without a reboot.
    if (bootComplete) startUpdater(ctx);
    if (bootComplete) startSwarmAgent(ctx);
    ctx.log.info('reload: done');
  } catch (err) {
    ctx.log.error(`reload: ${(err as Error).message}`);
  }
}

export async function runInit(): Promise<void> {
  const env = sanitisedEnv(process.env);
  applyEnv(env);
  process.umask(0o022);
  process.title = 'init';
  const ctx: BootContext = { log: createLogger({ name: 'init', consoleFd: 1 }), env, cmdline: parseCmdline(''), config: {}, state: 'ram' };
  installSafetyNets(() => ctx.log);
  installSignals(ctx);
  // Keeps the event loop alive for ever; PID 1 must not run out of work.
  setInterval(() => {}, 1 << 30);

  // Every stage, task and milestone with its times, in /run/ros for `ros os boot-time`.
  const timeline = new BootTimelineRecorder({ version, warn: (m) => ctx.log.warn(m) });
  const mark = (name: string) => {
    const m = milestone(name);
    // The first milestone (init-start, once early mounted /proc and /run) gives the timeline its uptime and its place.
    timeline.anchorOnce(m.uptime);
    timeline.milestone(m);
  };
  const run = await runStages(BOOT, ctx, {
    observer: timeline,
    milestone: mark,
    // How far a trial got, for the report if it fails: the stage that ended last.
    stageEnd: (stage) => {
      if (!ctx.trial) return;
      try { trialReached(ctx.trial, stage.name); } catch (err) { ctx.log.warn(`upgrade: record: ${(err as Error).message}`); }
    },
    // A power event during the boot wins: starting daemons now would only race the shutdown.
    stopped: () => (shutdownInProgress() ? 'shutdown' : null),
  });
  if (shutdownInProgress()) return timeline.finish('stopped', 'shutdown');
  if (run.stopped !== undefined && !ctx.fatal) ctx.fatal = run.stopped;
  if (ctx.fatal) timeline.finish('stopped', ctx.fatal);
  if (ctx.fatal && ctx.trial) {
    // No one may be at the console: go back to the slot that worked.
    giveUp(ctx, ctx.trial, ctx.fatal);
    return;
  }
  if (ctx.fatal) {
    ctx.log.fatal(`boot stopped: ${ctx.fatal}`);
    recoveryShell(ctx.log, ctx.fatal);
    return;
  }
  superviseSystemDocker(ctx);
  if (ctx.trial) {
    // Before the milestone: whoever sees boot-complete may rely on the new slot being the default.
    try { trialComplete(ctx, ctx.trial); } catch (err) { ctx.log.error(`upgrade: marking slot ${ctx.trial.slot} good: ${(err as Error).message}`); }
  }
  mark('boot-complete');
  timeline.finish('complete');
  bootComplete = true;
  // After boot-complete: a trial is good by now, so the updater never stages over a version still on trial.
  startUpdater(ctx);
  // After boot-complete, so no manager that is down can delay it; the agent retries in the background.
  startSwarmAgent(ctx);
}
