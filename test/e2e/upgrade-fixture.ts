// What the upgrade stories share: the v2 release (built once, by `make
// release`), a blank disk, v1 installed on it from the live ISO, commands that
// must succeed, the next boot, and `ros os version --json`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

export const V2 = '0.2.0';
export const BOOT_MS = 400_000;
export const CMD_MS = 120_000;
export const UPGRADE_MS = 600_000;

/** dist/ros-0.2.0.bundle (made on first use), linked into `served` as v2.bundle. */
export function serveV2(served: string): string {
  const v2 = join(REPO_ROOT, `dist/ros-${V2}.bundle`);
  if (!existsSync(v2)) execFileSync('make', ['-C', REPO_ROOT, 'release', `VERSION=${V2}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  mkdirSync(served, { recursive: true });
  symlinkSync(v2, join(served, 'v2.bundle'));
  return v2;
}

/** A sparse blank disk: 3 GiB is room for both slots, downloads and the state. */
export function blankDisk(path: string, gib = 3): string {
  writeFileSync(path, '');
  truncateSync(path, gib * 1024 ** 3);
  return path;
}

/**
 * Boots the live ISO with `disk` attached and runs `ros install -d /dev/vda` with
 * `installArgs` (after `-d`), `cloudConfig` given with -c; returns its output. The VM is gone afterwards.
 */
export async function installV1(name: string, disk: string, installArgs = "-a 'rancher.autologin=ttyS0'", cloudConfig?: string): Promise<string> {
  const vm = await Qemu.start({ name, boot: 'cdrom', iso: join(REPO_ROOT, 'dist/ros.iso'), disks: [disk] });
  try {
    await vm.milestone('boot-complete', BOOT_MS);
    let c = '';
    if (cloudConfig) {
      await mustRun(vm, `printf '%s\\n' ${cloudConfig.split('\n').map((l) => `'${l}'`).join(' ')} > /tmp/cc.yml`);
      c = '-c /tmp/cc.yml ';
    }
    return await mustRun(vm, `ros install -d /dev/vda ${c}${installArgs}`, UPGRADE_MS);
  } finally {
    await vm.stop();
  }
}

/** Runs a command on the serial console; it must exit 0. Returns its output. */
export async function mustRun(vm: Qemu | undefined, cmd: string, ms = CMD_MS): Promise<string> {
  assert.ok(vm, 'no VM');
  const r = await vm.run(cmd, ms);
  assert.equal(r.code, 0, `${cmd}:\n${r.output}`);
  return r.output;
}

/** The guest is rebooting: waits for the next boot to complete and its shell. */
export async function nextBoot(vm: Qemu | undefined, ms = BOOT_MS): Promise<void> {
  assert.ok(vm, 'no VM');
  vm.rebooting();
  await vm.milestone('boot-complete', ms);
  await vm.waitForShell();
}

export interface OsVersion {
  version: string;
  slots: { slot: string; default: string; otherVersion?: string; lastUpgrade?: { outcome: string } };
  [key: string]: unknown;
}

/** `ros os version --json` on `vm`. */
export async function osVersion(vm: Qemu | undefined): Promise<OsVersion> {
  const out = withoutKernelLines(await mustRun(vm, 'ros os version --json'));
  return JSON.parse(out.slice(out.indexOf('{'))) as OsVersion;
}
