// User story: a node that boots with UEFI firmware (OVMF) upgrades like one
// with a BIOS: the trial boot of v2 goes through GRUB's EFI image and its
// save_env, and v2 becomes the default at boot-complete.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_HOST, guestfwd } from './bundle-server';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

const BOOT_MS = 400_000;
const CMD_MS = 120_000;
const UPGRADE_MS = 600_000;
const V2 = '0.2.0';

describe('ros os upgrade under UEFI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-upefi-'));
  const disk = join(dir, 'disk.img');
  const served = join(dir, 'served');
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs v1, boots it with OVMF, upgrades to v2 and boots v2 with OVMF', { timeout: 3 * BOOT_MS + 2 * UPGRADE_MS }, async () => {
    const v2 = join(REPO_ROOT, `dist/ros-${V2}.bundle`);
    if (!existsSync(v2)) execFileSync('make', ['-C', REPO_ROOT, 'release', `VERSION=${V2}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    mkdirSync(served);
    symlinkSync(v2, join(served, 'v2.bundle'));
    writeFileSync(disk, '');
    truncateSync(disk, 3 * 1024 ** 3);
    const live = await Qemu.start({ name: 'upefi-install', disks: [disk], iso: join(REPO_ROOT, 'dist/ros.iso') });
    vm = live;
    await live.milestone('boot-complete', BOOT_MS);
    const inst = await live.run('ros install -d /dev/vda -a rancher.autologin=ttyS0', UPGRADE_MS);
    assert.equal(inst.code, 0, inst.output);
    await live.kill();

    const node = await Qemu.start({ name: 'upefi-disk', boot: 'disk', firmware: 'uefi', disks: [disk], noReboot: false, nicOptions: guestfwd(served) });
    vm = node;
    await node.milestone('boot-complete', BOOT_MS);
    await node.waitForInLog('efi: EFI v', 1000);
    const up = await node.run(`ros os upgrade --image http://${BUNDLE_HOST}/v2.bundle`, UPGRADE_MS);
    assert.equal(up.code, 0, up.output);
    node.rebooting();
    await node.waitFor(/ros\.slot=b ros\.trial=1/, BOOT_MS);
    await node.milestone('boot-complete', BOOT_MS);
    const r = await node.run('ros os version --json', CMD_MS);
    assert.equal(r.code, 0, r.output);
    const out = withoutKernelLines(r.output);
    const v = JSON.parse(out.slice(out.indexOf('{'))) as { version: string; slots: { slot: string; default: string; lastUpgrade: { outcome: string } } };
    assert.deepEqual([v.version, v.slots.slot, v.slots.default, v.slots.lastUpgrade.outcome], [V2, 'b', 'b', 'succeeded']);
    node.sendLine('poweroff');
    await node.waitExit(CMD_MS);
    vm = undefined;
  });
});
