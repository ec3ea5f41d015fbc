// User story: the power goes at any moment of `ros os upgrade`. QEMU is
// killed hard ten times, each at a different phase of a download-verify-
// write-arm of v2 — found by the upgrade's own progress lines on the console,
// plus up to a second at random, since the download alone takes longer than
// the rest — and after each cut the node boots a version that works (the old
// slot, or the new one on its trial); at the end an upgrade still succeeds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_HOST, guestfwd } from './bundle-server';
import { Qemu } from './qemu';
import { BOOT_MS, CMD_MS, UPGRADE_MS, blankDisk, installV1, osVersion, serveV2, V2 } from './upgrade-fixture';

/** Where each cut falls: the upgrade's progress lines, in the order they come. */
const PHASES: [string, RegExp][] = [
  ['download started', /downloaded [1-9]\d*\/\d+ MiB/],
  ['download complete', /downloaded (\d+)\/\1 MiB/],
  ['verify started', /verifying the bundle/],
  ['initrd half hashed', /checked initrd\.img 50%/],
  ['verified', /verified: signature and sha256/],
  ['writing the kernel', /writing vmlinuz .* to slot [ab]/],
  ['writing the initrd', /writing initrd\.img .* to slot [ab]/],
  ['initrd half written', /initrd\.img: [5-7]\d%/],
  ['initrd written', /initrd\.img: 100%/],
  ['armed', /slot [ab] holds v/],
];
const CUTS = PHASES.length;

describe('power cuts during ros os upgrade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-upcut-'));
  const disk = join(dir, 'disk.img');
  const served = join(dir, 'served');
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs v1 from the ISO', { timeout: BOOT_MS + UPGRADE_MS }, async () => {
    serveV2(served);
    await installV1('upcut-install', blankDisk(disk));
  });

  it(`boots a working version after each of ${CUTS} cuts, and then upgrades`, { timeout: (CUTS + 2) * (BOOT_MS + 2 * CMD_MS) }, async () => {
    const seen: string[] = [];
    for (let cut = 0; cut <= CUTS; cut++) {
      vm = await Qemu.start({ name: `upcut-${cut}`, boot: 'disk', disks: [disk], nicOptions: guestfwd(served) });
      await vm.milestone('boot-complete', BOOT_MS);
      const v = await osVersion(vm);
      seen.push(`${cut}:${v.version}/${v.slots.slot}`);
      if (cut === CUTS) break;
      vm.sendLine(`ros os upgrade -f --no-reboot --image http://${BUNDLE_HOST}/v2.bundle`);
      const [phase, pattern] = PHASES[cut]!;
      await vm.waitFor(pattern, UPGRADE_MS);
      const delay = Math.floor(Math.random() * 1000);
      await new Promise((r) => setTimeout(r, delay));
      vm.console.note(`harness: power cut ${cut + 1} (${phase}) ${delay} ms after its line`);
      seen.push(`cut ${cut + 1} at ${phase}`);
      await vm.kill();
      vm = undefined;
    }
    assert.ok(vm);
    const r = await vm.run(`ros os upgrade -f --image http://${BUNDLE_HOST}/v2.bundle --no-reboot`, UPGRADE_MS);
    assert.equal(r.code, 0, `after ${CUTS} cuts (${seen.join(' ')}) the upgrade fails:\n${r.output}`);
    await vm.kill();
    vm = await Qemu.start({ name: 'upcut-final', boot: 'disk', disks: [disk] });
    await vm.milestone('boot-complete', BOOT_MS);
    const done = await osVersion(vm);
    assert.equal(done.version, V2, seen.join(' '));
    const text = await vm.run('ros os version', CMD_MS);
    assert.match(text.output, /succeeded/, text.output);
    vm.console.note(`boots after each cut: ${seen.join(' ')}`);
  });
});
