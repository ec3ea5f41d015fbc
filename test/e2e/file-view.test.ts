// User story: `docker run -v PATH:/w` from the console sees the files the user
// sees at PATH — in their home, in /opt, in /tmp, in /var/lib/rancher, on the
// state disk — and a file system mounted under /mnt after the boot shows up
// in a new container too. The user Docker runs in a system container of its
// own; the two share these paths through rshared binds of the host's.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { blankDisk } from './disk';

const BOOT_MS = 300_000;
const CMD_MS = 180_000;
const DIRS = ['/home/rancher/proj', '/opt/app', '/tmp/scratch', '/var/lib/rancher/conf'];

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

describe('one file system view for the console and the user Docker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-view-'));
  let vm: Qemu | undefined;
  let booted: Promise<Qemu> | undefined;
  /** One boot on a state disk, shared by every check; a failed boot fails each of them. */
  const machine = () =>
    (booted ??= (async () => {
      vm = await Qemu.start({ name: 'file-view', disks: [blankDisk(join(dir, 'state.img'))], cmdline: 'rancher.state.autoformat=[/dev/vda]' });
      await vm.milestone('boot-complete', BOOT_MS);
      await vm.waitForShell();
      return vm;
    })());
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('boots on a state disk', { timeout: BOOT_MS + CMD_MS }, async () => {
    await machine();
  });

  for (const d of DIRS) {
    it(`docker run -v ${d}:/w sees the probe written there from the console`, { timeout: CMD_MS }, async () => {
      const r = await (await machine()).run(`mkdir -p ${d} && echo "probe in ${d}" > ${d}/probe.txt && docker run --rm -v ${d}:/w busybox cat /w/probe.txt`, CMD_MS);
      assert.equal(r.code, 0, r.output);
      assert.ok(lines(r.output).includes(`probe in ${d}`), r.output);
    });
  }

  it('a tmpfs mounted under /mnt from the console after the boot is what a new container bind-mounts', { timeout: CMD_MS }, async () => {
    const r = await (await machine()).run('mkdir -p /mnt/usb && mount -t tmpfs usb /mnt/usb && echo "on the new mount" > /mnt/usb/probe.txt && docker run --rm -v /mnt/usb:/w busybox sh -c "cat /w/probe.txt; grep -c \' /w tmpfs \' /proc/mounts"', CMD_MS);
    assert.equal(r.code, 0, r.output);
    assert.deepEqual(lines(r.output).slice(-2), ['on the new mount', '1'], r.output);
  });
});
