// User story: shape a node with `ros service`. Services from the boot config: one whose
// health check fails holds its dependent, which still starts and the problem is reported;
// a crash-looping one never holds back boot-complete and shows its restarts. A misspelt name gets the closest catalogue
// entries; a local service file (system or user scope) is enabled and brought up without a
// reboot and its logs read back; a catalogue service enabled before a reboot runs after it,
// and one disabled before a reboot stays off after it, even with its container kept.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { configDriveIso } from './iso';
import { blankDisk } from './disk';

const SERVICES = `#cloud-config
rancher:
  services:
    sick:
      image: busybox
      command: sh -c "trap 'exit 0' TERM; sleep 2147483647 & wait"
      healthcheck:
        test: ["CMD", "false"]
        interval: 2s
        timeout: 2s
        retries: 2
      labels:
        io.rancher.os.scope: user
    waiter:
      image: busybox
      command: sh -c "trap 'exit 0' TERM; echo waited; sleep 2147483647 & wait"
      labels:
        io.rancher.os.scope: user
        io.rancher.os.after: sick
    crasher:
      image: busybox
      command: sh -c "echo crashing; exit 1"
      restart: always
      labels:
        io.rancher.os.scope: user
`;

const BOOT_MS = 300_000;
const CMD_MS = 180_000;

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

describe('ros service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-svc-'));
  const disk = blankDisk(join(dir, 'state.img'));
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const machine = () => {
    assert.ok(vm, 'the VM did not start');
    return vm;
  };

  it('boots', { timeout: BOOT_MS + CMD_MS }, async () => {
    const iso = configDriveIso(dir, 'services', SERVICES, 'e2e-services');
    vm = await Qemu.start({ name: 'services', disks: [disk], iso, noReboot: false, cmdline: 'rancher.state.autoformat=[/dev/vda]' });
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForShell();
  });

  it('holds a dependent for an unhealthy service, reports it, then starts the dependent', { timeout: CMD_MS }, async () => {
    const vm = machine();
    await vm.waitForInLog(/service\[sick\]: waiting for healthy before waiter/, 1000);
    const reported = await vm.waitForInLog(/service\[sick\]: not healthy after \d+ s \(unhealthy\); starting waiter anyway/, 1000);
    const started = await vm.waitForInLog(/service\[waiter\]: created/, 1000);
    assert.ok(started.index > reported.index, 'waiter started before sick was reported');
  });

  it('does not let a crash-looping service hold back the boot, and shows its restarts', { timeout: 2 * CMD_MS }, async () => {
    const vm = machine();
    let restarts = 0;
    for (let i = 0; i < 10 && restarts === 0; i++) {
      const r = await vm.run(`ros service ps --json`, CMD_MS);
      const text = withoutKernelLines(r.output);
      const rows = JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1)) as { name: string; restarts: number }[];
      restarts = rows.find((row) => row.name === 'crasher')?.restarts ?? 0;
      if (restarts === 0) await new Promise((res) => setTimeout(res, 3000));
    }
    assert.ok(restarts > 0, 'ros service ps shows no restarts for crasher');
  });

  it('answers an unknown name with exit 1 and the closest catalogue entries', { timeout: CMD_MS }, async () => {
    const r = await machine().run('ros service enable ntpp', CMD_MS);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, /did you mean ntp\?/);
    assert.match(r.output, /available: .*syslog/);
  });

  it('enables and brings up a local system service, and shows its logs', { timeout: 2 * CMD_MS }, async () => {
    const vm = machine();
    const image = lines((await vm.run(`system-docker inspect console --format '{{.Config.Image}}'`, CMD_MS)).output).pop();
    const yml = `test:\\n  image: ${image}\\n  entrypoint: ls\\n  labels:\\n    io.rancher.os.after: console\\n`;
    const r = await vm.run(`printf '${yml}' > /var/lib/rancher/conf/test.yml && ros service enable /var/lib/rancher/conf/test.yml && ros service up test && sleep 3 && ros service logs test`, 2 * CMD_MS);
    assert.equal(r.code, 0, r.output);
    assert.ok(lines(r.output).includes('bin'), r.output);
  });

  it('does the same with a user-scope service in the user Docker', { timeout: 2 * CMD_MS }, async () => {
    const vm = machine();
    const yml = 'usertest:\\n  image: busybox\\n  entrypoint: ls\\n  labels:\\n    io.rancher.os.scope: user\\n';
    const r = await vm.run(`printf '${yml}' > /var/lib/rancher/conf/usertest.yml && ros service enable /var/lib/rancher/conf/usertest.yml && ros service up usertest && sleep 3 && ros service logs usertest && docker ps -a --format '{{.Names}}'`, 2 * CMD_MS);
    assert.equal(r.code, 0, r.output);
    const out = lines(r.output);
    assert.ok(out.includes('bin'), r.output);
    assert.ok(out.includes('usertest'), `usertest is not a user Docker container:\n${r.output}`);
  });

  // One reboot shows both directions. crond runs and is then disabled with --keep: its
  // container still runs until the shutdown, and the next boot's reconcile removes it.
  // ntp is enabled before the reboot.
  it('runs a service enabled before a reboot after it, and keeps one disabled before it off', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    const vm = machine();
    const up = await vm.run('ros service enable crond && ros service up crond && ros service enable ntp && ros service disable crond --keep', CMD_MS);
    assert.equal(up.code, 0, up.output);
    assert.match(up.output, /crond: disabled; its container is left as it is \(--keep\)/);
    const now = lines((await vm.run(`system-docker ps -a --format '{{.Names}} {{.State}}'`, CMD_MS)).output);
    assert.ok(now.includes('crond running'), now.join('\n'));
    vm.sendLine('reboot');
    await vm.milestone('init-start', BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForInLog(/service\[crond\]: removed \(not enabled any more/, 1000);
    const ps = lines((await vm.run(`system-docker ps -a --format '{{.Names}} {{.State}}'`, CMD_MS)).output);
    assert.ok(ps.includes('ntp running'), ps.join('\n'));
    assert.ok(!ps.some((l) => l.startsWith('crond ')), `a disabled service has a container:\n${ps.join('\n')}`);
    const list = lines((await vm.run('ros service list', CMD_MS)).output);
    assert.ok(list.some((l) => /^ntp\s+enabled\s/.test(l)), list.join('\n'));
    assert.ok(list.some((l) => /^crond\s+disabled\s/.test(l)), list.join('\n'));
  });

  it('shows the plan of ros service up --dry-run without acting on it', { timeout: CMD_MS }, async () => {
    const r = await machine().run('ros service up --dry-run', CMD_MS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /system\s+ntp\s+leave\s+running, definition unchanged/);
    assert.match(r.output, /user\s+waiter\s+leave/);
  });

  it('disable stops and removes a running service at once', { timeout: 2 * CMD_MS }, async () => {
    const vm = machine();
    const off = await vm.run('ros service disable ntp', CMD_MS);
    assert.equal(off.code, 0, off.output);
    assert.match(off.output, /ntp: disabled; stopped and removed ntp/);
    const ps = lines((await vm.run(`system-docker ps -a --format '{{.Names}} {{.State}}'`, CMD_MS)).output);
    assert.ok(!ps.some((l) => l.startsWith('ntp ')), `ntp still has a container:\n${ps.join('\n')}`);
    const list = lines((await vm.run('ros service list', CMD_MS)).output);
    assert.ok(list.some((l) => /^ntp\s+disabled\s/.test(l)), list.join('\n'));
  });
});
