// User story: boot the ros ISO (no -kernel, as on hardware), run `ros install`,
// and the disk then boots on its own with the installed cloud-config applied.
// On the way, a disk holding data and an invalid cloud-config are refused
// before anything is written.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const INSTALL_MS = 600_000;

const dir = mkdtempSync(join(tmpdir(), 'ros-install-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function disk(name: string, bytes: number, head?: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, '');
  truncateSync(file, bytes);
  if (head) {
    const fd = openSync(file, 'r+');
    writeSync(fd, head, 0, head.length, 0);
    closeSync(fd);
  }
  return file;
}

function head(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(bytes);
  readSync(fd, buf, 0, bytes, 0);
  closeSync(fd);
  return buf;
}

const isZero = (b: Buffer) => b.every((x) => x === 0);
const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);
/** A shell command that writes `text` to `path` in the guest, one printf argument per line. */
const writeCmd = (path: string, text: string) => `printf '%s\\n' ${text.split('\n').map((l) => `'${l}'`).join(' ')} > ${path}`;

describe('ros install: from the ISO to a disk that boots alone', () => {
  const target = disk('target.img', 2 * 1024 ** 3);
  const used = disk('used.img', 2 * 1024 ** 3, Buffer.from('somebody else\'s data\n'));
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('boots the ISO and refuses a disk with data and a bad cloud-config', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    vm = await Qemu.start({ name: 'install-iso', boot: 'cdrom', iso: join(REPO_ROOT, 'dist/ros.iso'), disks: [target, used] });
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForShell();

    const busy = await vm.run('ros install -d /dev/vdb', CMD_MS);
    assert.equal(busy.code, 1, busy.output);
    assert.match(busy.output, /\/dev\/vdb holds non-zero data .*only does that with -f/, busy.output);

    await vm.run(writeCmd('/tmp/bad.yml', 'hostname: installed-ros\nrancher:\n  sevices: {}'), CMD_MS);
    const bad = await vm.run('ros install -d /dev/vda -c /tmp/bad.yml', CMD_MS);
    assert.equal(bad.code, 3, bad.output);
    assert.match(bad.output, /\/tmp\/bad\.yml:3:3: rancher\.sevices/, bad.output);
    assert.match(bad.output, /nothing was written/, bad.output);

    assert.ok(isZero(head(target, 1 << 20)), 'a refused install wrote to the target disk');
    assert.equal(head(used, 21).toString(), 'somebody else\'s data\n');
  });

  it('installs to the blank disk', { timeout: INSTALL_MS + CMD_MS }, async () => {
    assert.ok(vm, 'the ISO did not boot');
    await vm.run(writeCmd('/tmp/cc.yml', '#cloud-config\nhostname: installed-ros\nwrite_files:\n  - path: /home/rancher/installed\n    content: from the install cloud-config'), CMD_MS);
    const r = await vm.run('ros install -d /dev/vda -c /tmp/cc.yml -a rancher.autologin=ttyS0', INSTALL_MS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /formatting \/dev\/vda1 as FAT32 labelled ROS_EFI/, r.output);
    assert.match(r.output, /formatting \/dev\/vda2 as ext4 labelled RANCHER_STATE/, r.output);
    assert.match(r.output, /done: \/dev\/vda boots ros on its own/, r.output);
    vm.sendLine('poweroff');
    assert.equal(await vm.waitExit(CMD_MS), 0);
    vm = undefined;
    // GRUB's boot.img (a jump first), the ESP at 1 MiB, the active state partition after its 64 MiB, the signature.
    const mbr = head(target, 512);
    assert.equal(mbr.readUInt16LE(510), 0xaa55);
    assert.equal(mbr[0], 0xeb, 'no GRUB boot code in the MBR');
    assert.deepEqual([mbr[446], mbr[450], mbr.readUInt32LE(454)], [0x00, 0xef, 2048]);
    assert.deepEqual([mbr[462], mbr[466], mbr.readUInt32LE(470)], [0x80, 0x83, 2048 + 131072]);
  });

  it('boots from the disk alone, with the cloud-config applied and state on the disk', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    await vm?.stop(); // left running if the install failed: it holds the disk image's lock
    const booted = await Qemu.start({ name: 'install-disk', boot: 'disk', disks: [target] });
    vm = booted;
    const uptime = await booted.milestone('boot-complete', BOOT_MS);
    booted.console.note(`installed disk: boot-complete at ${uptime} s`);
    const host = await booted.run('hostname', CMD_MS);
    assert.ok(lines(host.output).includes('installed-ros'), host.output);
    const file = await booted.run('cat /home/rancher/installed', CMD_MS);
    assert.ok(lines(file.output).includes('from the install cloud-config'), file.output);
    const mounts = await booted.run('grep " /home " /proc/mounts', CMD_MS);
    assert.match(mounts.output, /\/dev\/vda2 \/home ext4/, mounts.output);
    const cmdline = await booted.run('cat /proc/cmdline', CMD_MS);
    assert.match(cmdline.output, /rancher\.state\.required=true.*rancher\.autologin=ttyS0/, cmdline.output);
    booted.sendLine('poweroff');
    assert.equal(await booted.waitExit(CMD_MS), 0);
    vm = undefined;
  });
});
