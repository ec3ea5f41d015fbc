// PID 1. Its duties, in order: a clean environment, safety nets, signals,
// the boot stages, then supervision. It never exits: a kernel panic is the
// only thing worse than a failed boot.
import { parseCmdline } from '../config/cmdline';
import { applyEnv, sanitisedEnv } from '../sys/env';
import { disableCtrlAltDel } from '../sys/system';
import { uptime } from '../sys/proc';
import { version } from '../version';
import { createLogger, type Logger } from '../log/logger';
import { BOOT } from './boot';
import { BootTimelineRecorder } from './boot-timeline';
import type { BootContext } from './context';
import { milestone } from './milestones';
import { SIGNAL_ACTIONS } from './power';
import { startReaper } from './reaper';
import { recoveryShell } from './recovery';
import { runStage } from './stage';
import { shutdown, shutdownInProgress } from './shutdown';
import { loadLayeredConfig } from './stages/config';
import { startSystemServices } from './stages/docker';
import { reapplyNetworkIfChanged } from './stages/network';
import { superviseSystemDocker } from './supervisor';
import { watchPowerButton } from './power-button';
import { startUpdater } from './updater';
import { startSwarmAgent } from './swarm';
import { giveUp, guardTrial, startSlotBoot, stateFormatProblem, trialComplete, trialReached, type TrialGuard } from './slot-boot';

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
  let log = createLogger({ name: 'init', consoleFd: 1 });
  installSafetyNets(() => log);
  const ctx: BootContext = { log, env, cmdline: parseCmdline(''), config: {}, state: 'ram' };
  installSignals(ctx);
  // Keeps the event loop alive for ever; PID 1 must not run out of work.
  setInterval(() => {}, 1 << 30);

  // Every stage, task and milestone with its times, in /run/ros for `ros os boot-time`.
  const timeline = new BootTimelineRecorder({ version, warn: (m) => ctx.log.warn(m) });
  const mark = (name: string) => timeline.milestone(milestone(name));
  // Set on a trial boot of a new slot (docs/architecture.md, "Upgrades and rollback").
  let trial: TrialGuard | null = null;
  for (const [i, stage] of BOOT.entries()) {
    // A power event during the boot wins: starting daemons now would only race the shutdown.
    if (shutdownInProgress()) return timeline.finish('stopped', 'shutdown');
    const result = await runStage(stage, i, BOOT.length, ctx, log, timeline);
    if (stage.name === 'early' || stage.name === 'storage') {
      // /dev exists after early; /var/log may be a different (persistent) directory after storage.
      log = createLogger({ name: 'init', consoleFd: 1, dir: '/var/log/ros', kmsg: true });
      ctx.log = log;
    }
    if (i === 0) {
      startReaper(() => ctx.log);
      try { disableCtrlAltDel(); } catch (err) { log.warn(`ctrl-alt-del: ${(err as Error).message}`); }
      // /proc and /run are mounted now: the timeline has an uptime and a place to go.
      timeline.anchor(uptime());
      mark('init-start');
    }
    if (stage.name === 'cmdline') {
      try { trial = guardTrial(ctx, ctx.cmdline.kernel.join(' ')); } catch (err) { log.error(`upgrade: trial guard: ${(err as Error).message}`); }
    } else if (stage.name === 'storage' && result.ok) {
      // Right after the state disk: a failed trial is reported, and a trial recorded, as early as can be.
      try {
        trial = startSlotBoot(ctx, ctx.cmdline.kernel.join(' '), trial);
      } catch (err) {
        log.error(`upgrade: ${(err as Error).message}`);
      }
      // A state this version cannot read is left untouched: fatal (with a trial guard, back to the old slot).
      let unreadable: string | null = null;
      try { unreadable = stateFormatProblem(ctx); } catch (err) { log.warn(`state format: ${(err as Error).message}`); }
      if (unreadable) ctx.fatal = `state: ${unreadable}`;
    } else if (trial) {
      try { trialReached(trial, stage.name); } catch (err) { log.warn(`upgrade: record: ${(err as Error).message}`); }
    }
    if (ctx.fatal) break; // a task judged the boot unable to go on (an essential service failed)
    if (!result.ok && stage.onError === 'fatal') {
      ctx.fatal = `stage ${stage.name}: ${result.failures.map((f) => `${f.task}: ${f.error.message}`).join('; ')}`;
      break;
    }
    if (result.ok && stage.milestone) mark(stage.milestone);
    // rancher.log.level, once the config (and any user-data) is known.
    if (stage.name === 'config' || stage.name === 'datasource') {
      const level = ctx.config.rancher?.log?.level;
      if (level) log.level = level;
    }
    // `button` and `evdev` are loaded now; a press during the rest of the boot counts too.
    if (stage.name === 'kernel') watchPowerButton(ctx);
    if (stage.name === 'config' && ctx.config.rancher?.recovery === true) {
      ctx.fatal = 'rancher.recovery=true';
      break;
    }
  }
  if (shutdownInProgress()) return timeline.finish('stopped', 'shutdown');
  if (ctx.fatal) timeline.finish('stopped', ctx.fatal);
  if (ctx.fatal && trial) {
    // No one may be at the console: go back to the slot that worked.
    giveUp(ctx, trial, ctx.fatal);
    return;
  }
  if (ctx.fatal) {
    log.fatal(`boot stopped: ${ctx.fatal}`);
    recoveryShell(log, ctx.fatal);
    return;
  }
  superviseSystemDocker(ctx);
  if (trial) {
    // Before the milestone: whoever sees boot-complete may rely on the new slot being the default.
    try { trialComplete(ctx, trial); } catch (err) { log.error(`upgrade: marking slot ${trial.slot} good: ${(err as Error).message}`); }
  }
  mark('boot-complete');
  timeline.finish('complete');
  bootComplete = true;
  // After boot-complete: a trial is good by now, so the updater never stages over a version still on trial.
  startUpdater(ctx);
  // After boot-complete, so no manager that is down can delay it; the agent retries in the background.
  startSwarmAgent(ctx);
}
