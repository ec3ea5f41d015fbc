// User story: a node that boots with UEFI firmware (OVMF) upgrades like one
// with a BIOS: the trial boot of v2 goes through GRUB's EFI image and its
// save_env, and v2 becomes the default at boot-complete.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_HOST, guestfwd } from './bundle-server';
import { Qemu } from './qemu';
import { BOOT_MS, CMD_MS, UPGRADE_MS, blankDisk, installV1, osVersion, serveV2, V2 } from './upgrade-fixture';


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
    serveV2(served);
    await installV1('upefi-install', blankDisk(disk));

    const node = await Qemu.start({ name: 'upefi-disk', boot: 'disk', firmware: 'uefi', disks: [disk], noReboot: false, nicOptions: guestfwd(served) });
    vm = node;
    await node.milestone('boot-complete', BOOT_MS);
    await node.waitForInLog('efi: EFI v', 1000);
    const up = await node.run(`ros os upgrade --image http://${BUNDLE_HOST}/v2.bundle`, UPGRADE_MS);
    assert.equal(up.code, 0, up.output);
    node.rebooting();
    await node.waitFor(/ros\.slot=b ros\.trial=1/, BOOT_MS);
    await node.milestone('boot-complete', BOOT_MS);
    const v = await osVersion(node);
    assert.deepEqual([v.version, v.slots.slot, v.slots.default, v.slots.lastUpgrade?.outcome], [V2, 'b', 'b', 'succeeded']);
    node.sendLine('poweroff');
    await node.waitExit(CMD_MS);
    vm = undefined;
  });
});
