// The A/B slot state machine (docs/architecture.md, "The GRUB environment
// protocol"). Pure: the GRUB variables in, the variables to write and what
// this boot is, out. `grubChoice` mirrors grub.cfg so tests can play whole
// boot sequences (upgrade, panic, fallback) without a VM.

export type Slot = 'a' | 'b';
export const SLOTS: readonly Slot[] = ['a', 'b'];

export interface SlotEnv {
  /** The good slot, booted unless a trial is pending. */
  default: Slot;
  /** A slot armed for one trial boot. */
  trial: Slot | null;
  /** GRUB has started the trial (set before the kernel runs). */
  trialBooted: boolean;
}

export const isSlot = (v: unknown): v is Slot => v === 'a' || v === 'b';
export const otherSlot = (s: Slot): Slot => (s === 'a' ? 'b' : 'a');

/** Pure: the slot variables of a GRUB environment, or why they make no sense. */
export function slotEnv(vars: Record<string, string>): SlotEnv | { error: string } {
  const d = vars.ros_default;
  if (!isSlot(d)) return { error: `ros_default is ${JSON.stringify(d ?? null)}, not a or b` };
  const t = vars.ros_trial ?? '';
  if (t !== '' && !isSlot(t)) return { error: `ros_trial is ${JSON.stringify(t)}, not a, b or empty` };
  return { default: d, trial: t === '' ? null : t, trialBooted: vars.ros_trial_booted === '1' };
}

export function grubVars(env: SlotEnv): Record<string, string> {
  return { ros_default: env.default, ros_trial: env.trial ?? '', ros_trial_booted: env.trialBooted ? '1' : '0' };
}

/** Pure: what grub.cfg boots for `env`, and the env it saves before booting. */
export function grubChoice(env: SlotEnv): { boot: Slot; trial: boolean; env: SlotEnv } {
  if (env.trial !== null && !env.trialBooted) return { boot: env.trial, trial: true, env: { ...env, trialBooted: true } };
  return { boot: env.default, trial: false, env };
}

/** What this boot is, seen by init once the state disk is mounted. */
export type BootRole =
  | { kind: 'trial'; slot: Slot }
  | { kind: 'normal'; slot: Slot }
  /** A trial of `failed` was started and this boot is not it: it did not reach boot-complete. */
  | { kind: 'after-failed-trial'; slot: Slot; failed: Slot; next: SlotEnv };

export function bootRole(env: SlotEnv, booted: Slot): BootRole {
  if (env.trial !== null && env.trialBooted) {
    if (booted === env.trial) return { kind: 'trial', slot: booted };
    return { kind: 'after-failed-trial', slot: booted, failed: env.trial, next: { default: env.default, trial: null, trialBooted: false } };
  }
  return { kind: 'normal', slot: booted };
}

/** Pure: the env once a trial of `slot` reached boot-complete: it is the default now. */
export function markGood(env: SlotEnv, slot: Slot): SlotEnv {
  return { default: slot, trial: null, trialBooted: false };
}

/** Pure: the env before writing `target`: a trial armed for it is dropped, so a half-written slot is never booted. */
export function disarm(env: SlotEnv, target: Slot): SlotEnv {
  return env.trial === target ? { ...env, trial: null, trialBooted: false } : env;
}

/** Pure: the env arming one trial boot of the slot that is not `running`. */
export function armTrial(env: SlotEnv, running: Slot): SlotEnv {
  return { default: env.default, trial: otherSlot(running), trialBooted: false };
}

/** Pure: the env of `ros os rollback` from `running`: the other slot, which booted before, becomes the default. */
export function rollbackEnv(running: Slot): SlotEnv {
  return { default: otherSlot(running), trial: null, trialBooted: false };
}

/** Pure: the slot named by `ros.slot=` on a kernel command line, or null (a live or single-slot boot). */
export function slotFromCmdline(cmdline: string): Slot | null {
  const m = /(?:^|\s)ros\.slot=(\S+)/.exec(cmdline.split(/\s--(?:\s|$)/)[0] ?? '');
  return m && isSlot(m[1]) ? m[1] : null;
}

/** Pure: whether GRUB started this boot as a trial (ros.trial=1), and its deadline in seconds (ros.trial_timeout=, else `fallback`). */
export function trialFromCmdline(cmdline: string, fallback: number): { slot: Slot; timeoutS: number } | null {
  const words = (cmdline.split(/\s--(?:\s|$)/)[0] ?? '').split(/\s+/);
  const slot = slotFromCmdline(cmdline);
  if (slot === null || !words.includes('ros.trial=1')) return null;
  const t = words.find((w) => /^ros\.trial_timeout=\d+$/.test(w));
  return { slot, timeoutS: t ? Number(t.split('=')[1]) : fallback };
}
