// User story: the power goes at any moment of `ros os upgrade`. QEMU is
// killed hard ten times, at different points of a download-verify-write-arm
// of v2; after each cut the node boots a version that works (the old slot,
// or the new one on its trial), and at the end an upgrade still succeeds.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_HOST, guestfwd } from './bundle-server';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

const BOOT_MS = 400_000;
const CMD_MS = 120_000;
const UPGRADE_MS = 600_000;
const CUTS = 10;
const V2 = '0.2.0';

describe('power cuts during ros os upgrade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-upcut-'));
  const disk = join(dir, 'disk.img');
  const served = join(dir, 'served');
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const versionOf = async (q: Qemu): Promise<{ version: string; slots: { slot: string } }> => {
    const r = await q.run('ros os version --json', CMD_MS);
    assert.equal(r.code, 0, r.output);
    const out = withoutKernelLines(r.output);
    return JSON.parse(out.slice(out.indexOf('{'))) as { version: string; slots: { slot: string } };
  };

  it('installs v1 (kernel boot, the ISO as install media)', { timeout: BOOT_MS + UPGRADE_MS }, async () => {
    const v2 = join(REPO_ROOT, `dist/ros-${V2}.bundle`);
    if (!existsSync(v2)) execFileSync('make', ['-C', REPO_ROOT, 'release', `VERSION=${V2}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    mkdirSync(served);
    symlinkSync(v2, join(served, 'v2.bundle'));
    writeFileSync(disk, '');
    truncateSync(disk, 3 * 1024 ** 3);
    vm = await Qemu.start({ name: 'upcut-install', disks: [disk], iso: join(REPO_ROOT, 'dist/ros.iso') });
    await vm.milestone('boot-complete', BOOT_MS);
    const r = await vm.run('ros install -d /dev/vda -a rancher.autologin=ttyS0', UPGRADE_MS);
    assert.equal(r.code, 0, r.output);
    await vm.kill();
    vm = undefined;
  });

  it(`boots a working version after each of ${CUTS} cuts, and then upgrades`, { timeout: (CUTS + 2) * (BOOT_MS + 2 * CMD_MS) }, async () => {
    const seen: string[] = [];
    for (let cut = 0; cut <= CUTS; cut++) {
      vm = await Qemu.start({ name: `upcut-${cut}`, boot: 'disk', disks: [disk], nicOptions: guestfwd(served) });
      await vm.milestone('boot-complete', BOOT_MS);
      const v = await versionOf(vm);
      seen.push(`${cut}:${v.version}/${v.slots.slot}`);
      if (cut === CUTS) break;
      vm.sendLine(`ros os upgrade -f --no-reboot --image http://${BUNDLE_HOST}/v2.bundle`);
      // Spread over the download, the check, the write and the arming.
      const delay = 3000 + Math.floor(((cut + Math.random()) / CUTS) * 60_000);
      await new Promise((r) => setTimeout(r, delay));
      vm.console.note(`harness: power cut ${cut + 1} after ${delay} ms`);
      await vm.kill();
      vm = undefined;
    }
    assert.ok(vm);
    const r = await vm.run(`ros os upgrade -f --image http://${BUNDLE_HOST}/v2.bundle --no-reboot`, UPGRADE_MS);
    assert.equal(r.code, 0, `after ${CUTS} cuts (${seen.join(' ')}) the upgrade fails:\n${r.output}`);
    await vm.kill();
    vm = await Qemu.start({ name: 'upcut-final', boot: 'disk', disks: [disk] });
    await vm.milestone('boot-complete', BOOT_MS);
    const done = await versionOf(vm);
    assert.equal(done.version, V2, seen.join(' '));
    const text = await vm.run('ros os version', CMD_MS);
    assert.match(text.output, /succeeded/, text.output);
    vm.console.note(`boots after each cut: ${seen.join(' ')}`);
  });
});
