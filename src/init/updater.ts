// The automatic updater (docs/architecture.md, "Automatic updates"): a timer
// in PID 1, started at boot-complete and again on SIGHUP. Each check runs
// `ros os upgrade --no-reboot --auto` as a child process — the download,
// hashing and zstd work stay off PID 1's event loop, and a crash there is a
// failed check, not a dead init. PID 1 keeps the clock and the window and
// reboots through its own ordered shutdown. Every decision is one log line.
import { STATE_MOUNT } from '../config/paths';
import { readRecord } from '../upgrade/upgrade';
import { readSlotEnv } from '../upgrade/slot-files';
import { otherSlot, slotFromCmdline, type Slot } from '../upgrade/slots';
import { nextCheckDelay } from '../upgrade/window';
import { rebootDecision, transition, updaterPlan, type UpdaterPlan, type UpdaterState, type UpdaterStatus } from '../upgrade/updater';
import { readUpdaterStatus, writeUpdaterStatus } from '../upgrade/updater-status';
import { version } from '../version';
import { spawnOwned } from './children';
import type { BootContext } from './context';
import { shutdown, shutdownInProgress } from './shutdown';

const ROS = '/usr/bin/ros';
/** A wait for the window is cut into steps this long, so a clock set by NTP meanwhile is noticed. */
const WAIT_STEP_MS = 60_000;
/** setTimeout's limit. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Updater {
  plan: UpdaterPlan | null;
  slot: Slot;
  timer?: NodeJS.Timeout;
  checking: boolean;
  /** The version staged this boot, waiting for its window. */
  staged?: string;
  status: UpdaterStatus | null;
}

let current: Updater | null = null;

function set(ctx: BootContext, u: Updater, state: UpdaterState, detail: string, extra: Partial<UpdaterStatus> = {}): void {
  u.status = transition(u.status, state, detail, new Date(), extra);
  try {
    writeUpdaterStatus(STATE_MOUNT, u.status);
  } catch (err) {
    ctx.log.warn(`updater: writing its status: ${(err as Error).message}`);
  }
}

function done(u: Updater, what: string): Partial<UpdaterStatus> {
  return { last: { at: new Date().toISOString(), what } };
}

function schedule(ctx: BootContext, u: Updater, ms: number): void {
  clearTimeout(u.timer);
  if (!u.plan) return;
  const at = new Date(Date.now() + ms);
  // A failed check stays visible in --status until the next one.
  if (u.status?.state === 'failed') set(ctx, u, 'failed', u.status.detail, { nextCheck: at.toISOString() });
  else set(ctx, u, 'idle', `next check at ${at.toISOString()}`, { nextCheck: at.toISOString() });
  ctx.log.info(`updater: next check in ${Math.round(ms / 1000)} s`);
  u.timer = setTimeout(() => void check(ctx, u), Math.min(ms, MAX_TIMER_MS));
}

/** One check: the child stages a newer version or says there is none. */
async function check(ctx: BootContext, u: Updater): Promise<void> {
  if (!u.plan || u.checking || shutdownInProgress()) return;
  u.checking = true;
  const started = Date.now();
  set(ctx, u, 'checking', 'checking the channel');
  ctx.log.info('updater: checking the channel');
  let lastLine = '';
  let written = 0;
  const code = await new Promise<number>((resolve) => {
    const child = spawnOwned(ROS, ['os', 'upgrade', '--no-reboot', '--auto'], { stdio: ['ignore', 'pipe', 'pipe'], env: ctx.env });
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim())) {
        lastLine = line.trim();
        ctx.log.info(`updater: ${lastLine}`);
        // Progress for --status, written at most every 2 s.
        if (Date.now() - written > 2000 && u.status) {
          written = Date.now();
          set(ctx, u, 'checking', u.status.detail, { progress: lastLine });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => resolve((lastLine = err.message, -1)));
    child.once('exit', (c) => resolve(c ?? -1));
  });
  u.checking = false;
  if (!u.plan || shutdownInProgress()) return;
  const record = readRecord(STATE_MOUNT);
  if (code !== 0) {
    ctx.log.warn(`updater: the check failed (exit ${code}): ${lastLine}`);
    set(ctx, u, 'failed', `the last check failed: ${lastLine}`, done(u, `check failed: ${lastLine}`));
  } else if (record?.outcome === 'armed' && record.slot === otherSlot(u.slot) && Date.parse(record.at) >= started - 1000) {
    u.staged = record.to;
    ctx.log.info(`updater: v${record.to} staged in slot ${record.slot}`);
    set(ctx, u, 'staged', `v${record.to} staged in slot ${record.slot}`, { staged: record.to, ...done(u, `staged v${record.to} in slot ${record.slot}`) });
    return awaitWindow(ctx, u);
  } else {
    ctx.log.info(`updater: ${lastLine || 'nothing newer'}`);
    set(ctx, u, 'idle', lastLine, done(u, `checked: ${lastLine}`));
  }
  schedule(ctx, u, nextCheckDelay(u.plan.intervalS, Math.random()));
}

/** A version is staged: reboot now if the window allows, else wait for it. */
function awaitWindow(ctx: BootContext, u: Updater): void {
  clearTimeout(u.timer);
  if (!u.plan || !u.staged || shutdownInProgress()) return;
  // Someone may have rolled back or upgraded by hand meanwhile: reboot only into what is still armed.
  const env = readSlotEnv(STATE_MOUNT);
  if ('error' in env || env.trial !== otherSlot(u.slot) || env.trialBooted) {
    ctx.log.info(`updater: v${u.staged} is no longer armed in slot ${otherSlot(u.slot)}; checking again later`);
    u.staged = undefined;
    return schedule(ctx, u, nextCheckDelay(u.plan.intervalS, Math.random()));
  }
  const d = rebootDecision(u.plan, new Date());
  if (d.reboot) {
    ctx.log.info(`updater: rebooting into v${u.staged}: ${d.why}`);
    set(ctx, u, 'rebooting', `rebooting into v${u.staged}: ${d.why}`, done(u, `rebooted into v${u.staged} (from v${version})`));
    void shutdown(ctx, 'reboot', `automatic update to v${u.staged}`).catch((err: Error) => ctx.log.error(`updater: shutdown: ${err.message}`));
    return;
  }
  if (u.status?.state !== 'waiting-for-window') {
    ctx.log.info(`updater: v${u.staged} staged; ${d.why}`);
    set(ctx, u, 'waiting-for-window', `v${u.staged} staged; ${d.why}`);
  }
  u.timer = setTimeout(() => awaitWindow(ctx, u), Math.max(1000, Math.min(d.at.getTime() - Date.now(), WAIT_STEP_MS)));
}

/**
 * At boot-complete and after SIGHUP: (re)reads rancher.upgrade and starts,
 * changes or stops the updater. Never throws: PID 1 must not die of it.
 */
export function startUpdater(ctx: BootContext): void {
  try {
    const plan = updaterPlan(ctx.config.rancher?.upgrade);
    if (plan !== null && 'error' in plan) {
      ctx.log.warn(`updater: not started: ${plan.error}`);
      return;
    }
    const slot = slotFromCmdline(ctx.cmdline.kernel.join(' '));
    if (plan !== null && (slot === null || ctx.state !== 'disk')) {
      ctx.log.info('updater: not started: this boot is not from a disk installed with A/B slots');
      return;
    }
    if (plan === null || slot === null) {
      if (current?.plan) {
        clearTimeout(current.timer);
        current.plan = null;
        set(ctx, current, 'off', 'rancher.upgrade.auto is off');
        ctx.log.info('updater: off');
      }
      return;
    }
    const first = current === null;
    const u: Updater = current ?? { plan, slot, checking: false, status: readUpdaterStatus(STATE_MOUNT) };
    current = u;
    u.plan = plan;
    if (first) reportLastUpdate(ctx, u);
    ctx.log.info(`updater: on: ${ctx.config.rancher?.upgrade?.url ?? ''} every ${plan.intervalS} s${plan.windowText ? `, reboots in the window ${plan.windowText} (UTC)` : ', reboots as soon as a version is staged'}`);
    if (u.checking) return; // the running check picks up the new plan when it ends
    if (u.staged) return awaitWindow(ctx, u);
    // The first check comes after a random part of a tenth of the interval: a fleet booted together spreads out.
    schedule(ctx, u, nextCheckDelay(plan.intervalS, Math.random()) - plan.intervalS * 1000);
  } catch (err) {
    ctx.log.error(`updater: ${(err as Error).message}`);
  }
}

/** After the reboot of an automatic update: one line saying how it went. */
function reportLastUpdate(ctx: BootContext, u: Updater): void {
  const prev = u.status;
  const r = readRecord(STATE_MOUNT);
  // Staged and rebooted by the updater, or by anyone before its window: the trial ran either way.
  if (!prev || !['rebooting', 'staged', 'waiting-for-window'].includes(prev.state) || !r || r.to !== prev.staged) return;
  if (r.outcome === 'succeeded') {
    ctx.log.info(`updater: the automatic update to v${r.to} succeeded`);
    set(ctx, u, 'idle', `updated to v${r.to}`, { staged: undefined, ...done(u, `updated from v${r.from} to v${r.to}`) });
  } else if (r.outcome === 'failed') {
    ctx.log.warn(`updater: rolled back: the automatic update to v${r.to} failed (${r.reason ?? 'no reason recorded'}); v${r.to} is not tried again`);
    set(ctx, u, 'idle', `v${r.to} failed its trial and was rolled back`, { staged: undefined, ...done(u, `rolled back from v${r.to}: ${r.reason ?? ''}`) });
  }
}
