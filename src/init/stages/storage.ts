// Where state lives. With a RANCHER_STATE disk: fsck, mount, bind its
// directories into place. Without one: tmpfs (overlayfs needs a real
// filesystem with xattrs below it, which the initramfs root may not be).
// Policy: fatal only when rancher.state.required is true and no disk is found.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { MS, isMounted, mount } from '../../sys/mount';
import { blankness, lateDiskControllers, resolveDevice } from '../../sys/block';
import type { Cmdline } from '../../config/cmdline';
import type { StateConfig } from '../../config/types';
import { STATE_DIRS, STATE_LABEL, STATE_MOUNT, USER_VIEW_DIRS } from '../../config/paths';
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { runCaptured } from '../children';
import { mountOnce } from './pseudo-fs';

const INIT_LOG = '/var/log/ros/init.log';
/** The wait when rancher.state.wait is not set and the machine has a controller whose disks come late. */
const DEFAULT_WAIT_S = 2;
/** `rancher.state.wait` without a number: long enough for a late disk, short of a dead-looking boot. */
const WAIT_TRUE_S = 60;

/** wait: seconds, or 'auto' when rancher.state.wait is not set (waitSeconds). */
type StateSettings = Required<Omit<StateConfig, 'wait'>> & { wait: number | 'auto' };

/**
 * Pure: rancher.state with its defaults, from the validated cmdline (a word
 * of the wrong shape, e.g. autoformat=/dev/vda instead of [/dev/vda], was
 * dropped there, so it formats nothing here). Files cannot set it: they live
 * on the disk this finds.
 */
export function stateConfig(cmdline: Cmdline): StateSettings {
  const s = cmdline.config.rancher?.state ?? {};
  return {
    dev: s.dev || `LABEL=${STATE_LABEL}`,
    wait: s.wait === true ? WAIT_TRUE_S : typeof s.wait === 'number' ? s.wait : 'auto',
    autoformat: s.autoformat ?? [],
    required: s.required === true,
  };
}

/**
 * Pure: how long to wait for the state disk. As set; when not set, DEFAULT_WAIT_S
 * if a controller present can still bring a disk (`late`, lateDiskControllers),
 * else not at all: every other disk has been probed when its driver loaded
 * (docs/architecture.md, "Waiting for the state disk").
 */
export function waitSeconds(wait: number | 'auto', late: readonly string[]): number {
  if (wait !== 'auto') return wait;
  return late.length > 0 ? DEFAULT_WAIT_S : 0;
}

async function findState(cfg: StateSettings, waitS: number): Promise<string | null> {
  const deadline = Date.now() + waitS * 1000;
  const checked = new Set<string>();
  for (;;) {
    const dev = resolveDevice(cfg.dev, checked);
    if (dev || Date.now() >= deadline) return dev;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Formats the first blank device of `autoformat`; a device holding anything is never touched. */
async function autoformat(ctx: BootContext, devices: string[]): Promise<string | null> {
  for (const dev of devices) {
    if (!existsSync(dev)) continue;
    const state = blankness(dev);
    if (state === 'data') {
      ctx.log.warn(`state: ${dev} is listed in rancher.state.autoformat but is not blank (first MiB not zero): left untouched`);
      continue;
    }
    if (state === 'too-small') {
      ctx.log.warn(`state: ${dev} is listed in rancher.state.autoformat but is smaller than 1 MiB: left untouched`);
      continue;
    }
    ctx.log.info(`state: formatting blank ${dev} as ext4 labelled ${STATE_LABEL}`);
    const r = await runCaptured('/sbin/mkfs.ext4', ['-q', '-F', '-L', STATE_LABEL, dev]);
    if (r.code !== 0) throw new Error(`mkfs.ext4 ${dev}: exit ${r.code}: ${r.out.trim()}`);
    return dev;
  }
  return null;
}

async function mountState(ctx: BootContext, dev: string): Promise<void> {
  // After a power cut the journal replays on mount; -p fixes what is safe to fix.
  const fsck = await runCaptured('/sbin/e2fsck', ['-p', dev]);
  if (fsck.code > 1) ctx.log.warn(`state: e2fsck ${dev}: exit ${fsck.code}: ${fsck.out.trim()}`);
  mount({ source: dev, target: STATE_MOUNT, fstype: 'ext4', flags: MS.RELATIME, data: null });
  // What was logged before the disk came is appended to the persistent log.
  let early = '';
  try {
    early = readFileSync(INIT_LOG, 'utf8');
  } catch {
    /* nothing logged to file yet */
  }
  for (const dir of STATE_DIRS) {
    mkdirSync(`${STATE_MOUNT}${dir}`, { recursive: true });
    mount({ source: `${STATE_MOUNT}${dir}`, target: dir, fstype: null, flags: MS.BIND });
  }
  mkdirSync('/var/log/ros', { recursive: true });
  if (early) appendFileSync(INIT_LOG, early);
}

/** Makes plain directories mount points of their own, so each can be shared on its own. */
function bindOntoItself(dirs: string[]): void {
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    if (!isMounted(dir)) mount({ source: dir, target: dir, fstype: null, flags: MS.BIND });
  }
}

/**
 * The user's view (docs/architecture.md, "One file system view"): each
 * directory of USER_VIEW_DIRS is shared, so the console and the user Docker
 * bind it with propagation. Only these are shared, never `/`: what a
 * container mounts or unmounts under its root must never reach the host's.
 */
function shareUserView(): void {
  for (const dir of USER_VIEW_DIRS) mount({ source: null, target: dir, fstype: null, flags: MS.SHARED });
}

export const stateDisk: Task = {
  name: 'state',
  async run(ctx) {
    // Before the disk goes on /mnt/state: a bind of /mnt made later would cover it.
    // The disk's mount stays private, or each layer system-docker mounts would be copied under /mnt.
    bindOntoItself(USER_VIEW_DIRS.filter((d) => !STATE_DIRS.includes(d)));
    const cfg = stateConfig(ctx.cmdline);
    const late = cfg.wait === 'auto' ? lateDiskControllers() : [];
    const waitS = waitSeconds(cfg.wait, late);
    let dev = await findState(cfg, waitS);
    if (!dev && cfg.autoformat.length > 0) dev = await autoformat(ctx, cfg.autoformat);
    if (dev) {
      await mountState(ctx, dev);
      ctx.state = 'disk';
      ctx.log.info(`state: ${dev} mounted on ${STATE_MOUNT}`);
    } else if (cfg.required) {
      throw new Error(`state: rancher.state.required is true but no state device ${cfg.dev} was found within ${waitS} s`);
    } else {
      for (const target of STATE_DIRS.filter((d) => d !== '/var/log')) {
        mountOnce({ source: 'tmpfs', target, fstype: 'tmpfs', flags: MS.NODEV, data: 'mode=0755' });
      }
      ctx.state = 'ram';
      const waited = cfg.wait !== 'auto' ? `waited ${waitS} s (rancher.state.wait)`
        : late.length > 0 ? `waited ${waitS} s for disks of ${late.join(', ')}`
          : 'no controller here brings disks late; rancher.state.wait=N waits N s';
      ctx.log.warn(`no state disk (${cfg.dev}; ${waited}): running from RAM, nothing will survive a reboot`);
    }
    mkdirSync('/var/lib/rancher/conf/cloud-config.d', { recursive: true });
    mkdirSync('/home/rancher', { recursive: true });
    shareUserView();
  },
};
