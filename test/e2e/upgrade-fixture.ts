// What the upgrade stories share: the v2 release (built once, by `make
// release`), a blank disk, v1 installed on it from the live ISO, and the
// running version as `ros os version --json` reports it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

export const V2 = '0.2.0';
const BOOT_MS = 400_000;
const INSTALL_MS = 600_000;

/** dist/ros-0.2.0.bundle (made on first use), linked into `served` as v2.bundle. */
export function serveV2(served: string): string {
  const v2 = join(REPO_ROOT, `dist/ros-${V2}.bundle`);
  if (!existsSync(v2)) execFileSync('make', ['-C', REPO_ROOT, 'release', `VERSION=${V2}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(served, { recursive: true });
  symlinkSync(v2, join(served, 'v2.bundle'));
  return v2;
}

/** A sparse blank disk image of `gib` GiB. */
export function blankDisk(path: string, gib = 3): string {
  writeFileSync(path, '');
  truncateSync(path, gib * 1024 ** 3);
  return path;
}

/**
 * Boots the live ISO with `disk` attached and runs `ros install -d /dev/vda` with
 * `installArgs` (after `-d`); returns its output. The VM is gone afterwards.
 */
export async function installV1(name: string, disk: string, installArgs = "-a 'rancher.autologin=ttyS0'", setup?: (vm: Qemu) => Promise<void>): Promise<string> {
  const vm = await Qemu.start({ name, boot: 'cdrom', iso: join(REPO_ROOT, 'dist/ros.iso'), disks: [disk] });
  try {
    await vm.milestone('boot-complete', BOOT_MS);
    await setup?.(vm);
    const r = await vm.run(`ros install -d /dev/vda ${installArgs}`, INSTALL_MS);
    assert.equal(r.code, 0, r.output);
    return r.output;
  } finally {
    await vm.stop();
  }
}

export interface OsVersion {
  version: string;
  slots: { slot: string; default: string; otherVersion?: string; lastUpgrade?: { outcome: string } };
}

/** `ros os version --json` on `vm`. */
export async function osVersion(vm: Qemu): Promise<OsVersion> {
  const r = await vm.run('ros os version --json', 120_000);
  assert.equal(r.code, 0, r.output);
  const out = withoutKernelLines(r.output);
  return JSON.parse(out.slice(out.indexOf('{'))) as OsVersion;
}
