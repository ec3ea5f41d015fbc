// PID 1's duties that belong right after a stage (its hooks in boot.ts): a
// log with a file once /var/log exists, the reaper once /proc does, the
// upgrade trial's guard and record, the log level once the config is known.
import { createLogger } from '../../log/logger';
import { disableCtrlAltDel } from '../../sys/system';
import { watchPowerButton } from '../power-button';
import { startReaper } from '../reaper';
import { guardTrial, startSlotBoot, stateFormatProblem } from '../slot-boot';
import type { Task } from '../stage';

/** After early (/dev exists) and again after storage (/var/log may be the state disk's now). */
export const openLog: Task = {
  name: 'open-log',
  run(ctx) {
    ctx.log = createLogger({ name: 'init', consoleFd: 1, dir: '/var/log/ros', kmsg: true });
  },
};

/** Orphans are reaped from /proc, which early mounted. */
export const startReaperTask: Task = {
  name: 'start-reaper',
  run(ctx) {
    startReaper(() => ctx.log);
  },
};

/** Ctrl-alt-del becomes SIGINT to init (an ordered reboot) instead of an immediate one. */
export const ctrlAltDelSignal: Task = {
  name: 'ctrl-alt-del-signal',
  run() {
    disableCtrlAltDel();
  },
};

/** After the drivers stage loaded `button` and `evdev`; a press during the rest of the boot counts too. */
export const watchPowerButtonTask: Task = {
  name: 'watch-power-button',
  run(ctx) {
    watchPowerButton(ctx);
  },
};

/** A boot GRUB started as a trial is guarded from the cmdline on, even if it never finds its state disk. */
export const guardTrialTask: Task = {
  name: 'guard-trial',
  run(ctx) {
    ctx.trial = guardTrial(ctx, ctx.cmdline.kernel.join(' '));
  },
};

/** Right after the state disk: a failed trial is reported, and a trial recorded, as early as can be. */
export const slotBoot: Task = {
  name: 'slot-boot',
  run(ctx) {
    ctx.trial = startSlotBoot(ctx, ctx.cmdline.kernel.join(' '), ctx.trial ?? null);
  },
};

/** A state this version cannot read is left untouched: fatal (with a trial guard, back to the old slot). */
export const checkStateFormat: Task = {
  name: 'check-state-format',
  run(ctx) {
    const unreadable = stateFormatProblem(ctx);
    if (unreadable) ctx.fatal = `state: ${unreadable}`;
  },
};

/** rancher.log.level, once the config (and again once any user-data) is known. */
export const logLevel: Task = {
  name: 'log-level',
  run(ctx) {
    const level = ctx.config.rancher?.log?.level;
    if (level) ctx.log.level = level;
  },
};

/** rancher.recovery=true: straight to the recovery shell, before any daemon starts. */
export const recoveryRequested: Task = {
  name: 'recovery-requested',
  run(ctx) {
    if (ctx.config.rancher?.recovery === true) ctx.fatal = 'rancher.recovery=true';
  },
};
