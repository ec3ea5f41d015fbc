// Steps the upgrade stories share: a blank disk, ros install from the ISO,
// commands that must succeed, the next boot, `ros os version --json`.
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

export const BOOT_MS = 400_000;
export const CMD_MS = 120_000;
export const UPGRADE_MS = 600_000;

/** A sparse 3 GiB disk: room for both slots, downloads and the state. */
export function blankDisk(path: string): void {
  writeFileSync(path, '');
  truncateSync(path, 3 * 1024 ** 3);
}

/** Boots the live ISO, installs ros to the disk with `args` as extra kernel words, powers off. */
export async function installFromIso(name: string, disk: string, args: string, cloudConfig?: string): Promise<void> {
  const iso = await Qemu.start({ name, boot: 'cdrom', iso: join(REPO_ROOT, 'dist/ros.iso'), disks: [disk] });
  try {
    await iso.milestone('boot-complete', BOOT_MS);
    let c = '';
    if (cloudConfig) {
      await mustRun(iso, `printf '%s\\n' ${cloudConfig.split('\n').map((l) => `'${l}'`).join(' ')} > /tmp/cc.yml`);
      c = ' -c /tmp/cc.yml';
    }
    await mustRun(iso, `ros install -d /dev/vda${c} -a '${args}'`, UPGRADE_MS);
    iso.sendLine('poweroff');
    assert.equal(await iso.waitExit(CMD_MS), 0);
  } finally {
    await iso.stop();
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

/** `ros os version --json`. */
export async function osVersion(vm: Qemu | undefined): Promise<Record<string, unknown>> {
  const out = withoutKernelLines(await mustRun(vm, 'ros os version --json'));
  return JSON.parse(out.slice(out.indexOf('{'))) as Record<string, unknown>;
}
