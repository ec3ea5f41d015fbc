// PID 1's part in upgrades (docs/architecture.md, "The GRUB environment
// protocol"): learn what this boot is from the GRUB variables, record a
// trial's progress, guard it with the watchdog and a deadline, mark it good
// at boot-complete, and report a failed trial when the old slot is back.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_FORMAT_FILE, STATE_MOUNT } from '../config/paths';
import { atomicWrite } from '../sys/atomic-write';
import { checkStateFormat } from '../upgrade/state-format';
import { rebootSyscall, sync } from '../sys/system';
import { openWatchdog, type Watchdog } from '../sys/watchdog';
import { atBoot, atBootComplete, type SlotActions } from '../upgrade/boot-outcome';
import { trialAt } from '../upgrade/record';
import { readSlotEnv, writeSlotEnv } from '../upgrade/slot-files';
import { slotFromCmdline, trialFromCmdline, type Slot } from '../upgrade/slots';
import { readRecord, writeRecord } from '../upgrade/upgrade';
import { version } from '../version';
import type { BootContext } from './context';

/** Seconds a trial boot may take to reach boot-complete (ros.trial_timeout= overrides). */
const TRIAL_TIMEOUT_S = 600;
const PET_MS = 5000;

export interface TrialGuard {
  slot: Slot;
  watchdog: Watchdog | null;
  timers: NodeJS.Timeout[];
}

function apply(a: SlotActions, ctx: BootContext): void {
  if (a.env) writeSlotEnv(STATE_MOUNT, a.env);
  if (a.record) writeRecord(STATE_MOUNT, a.record);
  if (a.message) ctx.log.warn(`upgrade: ${a.message}`);
}

/**
 * Right after the cmdline stage: a boot GRUB started as a trial (`ros.trial=1`)
 * is guarded from here on — the watchdog, petted from the event loop, resets
 * a hung machine; the deadline gives up on a boot that never completes — so
 * even a trial that never finds its state disk goes back to the old slot.
 */
export function guardTrial(ctx: BootContext, cmdline: string): TrialGuard | null {
  const t = trialFromCmdline(cmdline, TRIAL_TIMEOUT_S);
  if (t === null) return null;
  const { slot, timeoutS: timeout } = t;
  const guard: TrialGuard = { slot, watchdog: openWatchdog(), timers: [] };
  ctx.log.info(`upgrade: trial boot of slot ${slot}: ${guard.watchdog ? 'watchdog /dev/watchdog armed' : 'no watchdog device'}, deadline ${timeout} s`);
  if (guard.watchdog) {
    const w = guard.watchdog;
    guard.timers.push(setInterval(() => w.pet(), PET_MS));
  }
  guard.timers.push(setTimeout(() => giveUp(ctx, guard, `no boot-complete within ${timeout} s`), timeout * 1000));
  return guard;
}

function lift(guard: TrialGuard): void {
  for (const t of guard.timers) clearTimeout(t);
  guard.watchdog?.disarm();
}

/** Right after the state disk: what this boot is, by the GRUB variables. Returns the guard a trial keeps. */
export function startSlotBoot(ctx: BootContext, cmdline: string, guard: TrialGuard | null): TrialGuard | null {
  const slot = slotFromCmdline(cmdline);
  if (slot === null || ctx.state !== 'disk') return guard;
  const env = readSlotEnv(STATE_MOUNT);
  if ('error' in env) throw new Error(`boot slots: ${env.error}`);
  const actions = atBoot(env, slot, version, readRecord(STATE_MOUNT), new Date());
  apply(actions, ctx);
  if (actions.trial) return guard ?? guardTrial(ctx, `ros.slot=${slot} ros.trial=1 ${cmdline}`);
  // ros.trial=1 on a boot the variables do not call a trial (picked by hand in the GRUB menu): nothing to guard.
  if (guard) lift(guard);
  return null;
}

/** A trial stage finished: remember how far it got, for the report after a failure. */
export function trialReached(guard: TrialGuard, stage: string): void {
  const r = readRecord(STATE_MOUNT);
  if (r) writeRecord(STATE_MOUNT, trialAt(r, stage, new Date()));
}

/**
 * The trial cannot complete (a fatal stage, the deadline): record why and
 * reboot at once, into the old slot — not the recovery shell, since no one
 * may be at the console, and not an ordered shutdown, which may hang too.
 */
export function giveUp(ctx: BootContext, guard: TrialGuard, why: string): void {
  for (const t of guard.timers) clearTimeout(t);
  const r = readRecord(STATE_MOUNT);
  if (r) writeRecord(STATE_MOUNT, { ...r, reason: `it gave up: ${why}` });
  ctx.log.fatal(`upgrade: trial boot of slot ${guard.slot} failed (${why}); rebooting into the previous slot`);
  sync();
  rebootSyscall('reboot');
}

/** boot-complete: the trial is good and becomes the default; the guard is lifted. */
export function trialComplete(ctx: BootContext, guard: TrialGuard): void {
  lift(guard);
  const env = readSlotEnv(STATE_MOUNT);
  if ('error' in env) throw new Error(`boot slots: ${env.error}`);
  const a = atBootComplete(env, guard.slot, readRecord(STATE_MOUNT), new Date());
  if (a) apply({ ...a, message: undefined }, ctx);
  if (a?.message) ctx.log.info(`upgrade: ${a.message}`);
}

/** Null when this ros may use the state disk (recording its format), else why not. */
export function stateFormatProblem(ctx: BootContext): string | null {
  if (ctx.state !== 'disk') return null;
  const file = join(STATE_MOUNT, STATE_FORMAT_FILE);
  const r = checkStateFormat(existsSync(file) ? readFileSync(file, 'utf8') : null);
  if ('error' in r) return r.error;
  if (r.write !== null) atomicWrite(file, `${r.write}\n`);
  return null;
}
