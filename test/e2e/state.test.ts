// User story: nothing is lost on reboot. A blank disk named in rancher.state.autoformat
// becomes the RANCHER_STATE disk on the first boot; a container with --restart=always,
// a file in /home/rancher and the user's images are all still there after a reboot.
// A disk that holds data is never formatted.
// The same boot shows one file system view: `docker run -v PATH:/w` from the console
// sees the files the user sees at PATH (home, /opt, /tmp, /var/lib/rancher, on the
// state disk), and a file system mounted under /mnt after the boot shows up in a new
// container too: the user Docker runs in a system container of its own and the two
// share these paths through rshared binds of the host's (docs/architecture.md).
// Whether the second boot on the disk is faster is a figure of `make bench`, not a check.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { blankDisk } from './disk';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'ros-state-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function firstMiBHash(file: string): string {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return createHash('sha256').update(buf).digest('hex');
}

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);
const VIEW_DIRS = ['/home/rancher/proj', '/opt/app', '/tmp/scratch', '/var/lib/rancher/conf'];

/** The root's loop device reads the state disk's copy of the root image, not the initrd's in RAM. */
async function rootImageOnDisk(vm: Qemu): Promise<void> {
  const r = await vm.run('cat /sys/block/loop*/loop/backing_file', CMD_MS);
  assert.match(r.output, /^\/mnt\/state\/ros\/root-image\/root-[0-9a-f]{64}\.sqsh\r?$/m, r.output);
  assert.doesNotMatch(r.output, /deleted/, r.output);
}

describe('state disk: autoformat and persistence across a reboot', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });
  const disk = blankDisk(join(dir, 'state.img'));

  it('formats the blank disk on the first boot and keeps state on it', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    vm = await Qemu.start({ name: 'state', disks: [disk], noReboot: false, cmdline: 'rancher.state.autoformat=[/dev/vda]' });
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForShell();
    // The console sees the state directories it binds, e.g. /home, as the disk itself.
    const mounts = await vm.run('grep " /home " /proc/mounts', CMD_MS);
    assert.match(mounts.output, /\/dev\/vda \/home ext4/, mounts.output);
    await rootImageOnDisk(vm);
    const run = await vm.run('docker run -d --restart=always --name keeper busybox sleep 100000 && echo kept > /home/rancher/file && sync && echo saved', 2 * CMD_MS);
    assert.match(run.output, /saved/, run.output);
  });

  for (const d of VIEW_DIRS) {
    it(`docker run -v ${d}:/w sees the probe written there from the console`, { timeout: CMD_MS }, async () => {
      assert.ok(vm, 'first boot did not start');
      const r = await vm.run(`mkdir -p ${d} && echo "probe in ${d}" > ${d}/probe.txt && docker run --rm -v ${d}:/w busybox cat /w/probe.txt`, CMD_MS);
      assert.equal(r.code, 0, r.output);
      assert.ok(lines(r.output).includes(`probe in ${d}`), r.output);
    });
  }

  it('a tmpfs mounted under /mnt from the console after the boot is what a new container bind-mounts', { timeout: CMD_MS }, async () => {
    assert.ok(vm, 'first boot did not start');
    const r = await vm.run('mkdir -p /mnt/usb && mount -t tmpfs usb /mnt/usb && echo "on the new mount" > /mnt/usb/probe.txt && docker run --rm -v /mnt/usb:/w busybox sh -c "cat /w/probe.txt; grep -c \' /w tmpfs \' /proc/mounts"', CMD_MS);
    assert.equal(r.code, 0, r.output);
    assert.deepEqual(lines(r.output).slice(-2), ['on the new mount', '1'], r.output);
  });

  it('still has the container, the file and the images after a reboot', { timeout: BOOT_MS + 3 * CMD_MS }, async () => {
    const vm2 = vm;
    assert.ok(vm2, 'first boot did not start');
    vm2.sendLine('reboot');
    await vm2.waitFor(/milestone=shutdown-complete uptime=[\d.]+ reason=SIGTERM action=reboot/, CMD_MS);
    await vm2.milestone('init-start', BOOT_MS);
    await vm2.milestone('boot-complete', BOOT_MS);
    await rootImageOnDisk(vm2);
    const file = await vm2.run('cat /home/rancher/file', CMD_MS);
    assert.ok(lines(file.output).includes('kept'), file.output);
    // --restart=always: the user dockerd restarts it on its own once up.
    const ps = await vm2.runUntil(`docker ps -a --format '{{.Names}} {{.State}}'`, /keeper running/, 60_000);
    assert.match(ps, /keeper running/);
    const images = await vm2.run(`docker images --format '{{.Repository}}'`, CMD_MS);
    assert.ok(lines(images.output).includes('busybox'), images.output);
    vm2.sendLine('poweroff');
    assert.equal(await vm2.waitExit(CMD_MS), 0);
  });
});

describe('state disk: a disk with data is never formatted; required without a disk stops in recovery', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('leaves a non-blank disk untouched and names the missing device', { timeout: BOOT_MS + 2 * CMD_MS }, async () => {
    const disk = blankDisk(join(dir, 'data.img'), 256 << 20);
    const fd = openSync(disk, 'r+');
    const junk = randomBytes(1 << 20);
    writeFileSync(fd, junk);
    closeSync(fd);
    const before = firstMiBHash(disk);
    vm = await Qemu.start({ name: 'state-required', disks: [disk], cmdline: 'rancher.state.autoformat=[/dev/vda] rancher.state.required=true' });
    await vm.waitFor(/\/dev\/vda is listed in rancher\.state\.autoformat but is not blank/, BOOT_MS);
    await vm.waitFor('ros recovery shell', BOOT_MS);
    await vm.waitFor(/no state device LABEL=RANCHER_STATE was found/, 10_000);
    assert.doesNotMatch(vm.tail(400), /Kernel panic|Attempted to kill init/);
    vm.sendLine('poweroff');
    assert.equal(await vm.waitExit(CMD_MS), 0);
    assert.equal(firstMiBHash(disk), before, 'the non-blank disk was modified');
  });
});
