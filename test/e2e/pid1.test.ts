// User story: PID 1 a production OS can trust. One QEMU (reboots allowed) goes through
// three boots: zombies are reaped, a killed system dockerd heals itself, and every
// power trigger — `kill -TERM 1`, ctrl-alt-delete, the ACPI power button — ends in a
// clean shutdown with the right reason. (`poweroff` typed in the console is in boot.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configDriveIso } from './iso';
import { Qemu, withoutKernelLines } from './qemu';

const BOOT_MS = 300_000;
const ORPHANS = 200;
const PPIDS = '/var/lib/rancher/orphan-ppids';

/**
 * bootcmd runs as a child of PID 1. Each of its subshells exits at once,
 * orphaning a grandchild; with no subreaper in between (unlike in the
 * console, whose orphans go to containerd-shim) the kernel gives it to PID 1.
 * The grandchild writes down its parent once orphaned, then exits: only
 * PID 1's reaper can collect it.
 */
const STORM = `#cloud-config
bootcmd:
  - |
    i=0
    while [ $i -lt ${ORPHANS} ]; do
      (sh -c 'sleep 1; set -- $(cat /proc/$$/stat); echo $4 >> ${PPIDS}' &)
      i=$((i+1))
    done
`;
const CMD_MS = 120_000;
const SHUTDOWN_MS = 120_000;

/** Every process whose state in /proc/<pid>/stat is Z (comm may contain spaces: cut at the last ") "). */
const LIST_ZOMBIES = `for f in /proc/[0-9]*/stat; do s=$(cat $f 2>/dev/null) || continue; t=\${s##*) }; [ "\${t%% *}" = Z ] && echo "zombie $s"; done; true`;

async function zombies(vm: Qemu): Promise<string[]> {
  const r = await vm.run(LIST_ZOMBIES, CMD_MS);
  return withoutKernelLines(r.output).split('\n').filter((l) => l.startsWith('zombie '));
}

/** Zombies can exist for an instant before the reaper runs; none may survive several scans. */
async function assertNoZombiesSoon(vm: Qemu): Promise<void> {
  let seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    seen = await zombies(vm);
    if (seen.length === 0) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  assert.fail(`zombies remain after 16 s:\n${seen.join('\n')}`);
}

/** Waits for shutdown-start and shutdown-complete with `reason`; returns the guest seconds between them. */
async function cleanShutdown(vm: Qemu, reason: string, action: string): Promise<number> {
  const start = await vm.waitFor(new RegExp(`milestone=shutdown-start uptime=([\\d.]+) reason=${reason} action=${action}`), SHUTDOWN_MS);
  const done = await vm.waitFor(new RegExp(`milestone=shutdown-complete uptime=([\\d.]+) reason=${reason} action=${action}(?! forced)`), SHUTDOWN_MS);
  const secs = Number(done[1]) - Number(start[1]);
  process.stdout.write(`# shutdown by ${reason}: ${secs.toFixed(2)} s (guest uptime ${start[1]} → ${done[1]})\n`);
  return secs;
}

describe('PID 1: reaping, self-healing, power events', () => {
  let vm: Qemu | undefined;
  let startError: Error | undefined;
  const machine = (): Qemu => {
    if (!vm) throw startError ?? new Error('VM not started');
    return vm;
  };

  const work = mkdtempSync(join(tmpdir(), 'ros-pid1-'));
  before(async () => {
    const iso = configDriveIso(work, 'storm', STORM, 'e2e-pid1');
    vm = await Qemu.start({ name: 'pid1', noReboot: false, iso }).catch((err: Error) => {
      startError = err;
      return undefined;
    });
  });
  after(async () => {
    await vm?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('boots', { timeout: BOOT_MS + 10_000 }, async () => {
    await machine().milestone('boot-complete', BOOT_MS);
    await machine().waitForShell();
  });

  it(`reaps a storm of ${ORPHANS} orphans whose parent was PID 1 itself`, { timeout: 4 * CMD_MS }, async () => {
    const vm = machine();
    const parents = await vm.run(`sort ${PPIDS} | uniq -c`, CMD_MS);
    assert.equal(parents.code, 0, parents.output);
    const counts = withoutKernelLines(parents.output).trim().split('\n').map((l) => l.trim());
    assert.deepEqual(counts, [`${ORPHANS} 1`], `every orphan should have had PID 1 as its parent:\n${parents.output}`);
    await assertNoZombiesSoon(vm);
    const reaped = await vm.run(`grep -c 'reaped orphan' /var/log/ros/init.log || true`, CMD_MS);
    const n = Number(withoutKernelLines(reaped.output).trim().split('\n').pop());
    assert.ok(n >= ORPHANS, `PID 1 logged ${n} reaped orphans, expected at least ${ORPHANS}`);
  });

  it('reaps the containerd shims of stopped system and user containers', { timeout: 6 * CMD_MS }, async () => {
    const vm = machine();
    const image = (await vm.run(`system-docker inspect console --format '{{.Config.Image}}'`, CMD_MS)).output.trim().split('\n').pop() ?? '';
    const r = await vm.run(`for i in 1 2 3 4 5; do system-docker run --rm ${image} true && docker run --rm busybox true || echo FAILED; done; echo shims-done`, 4 * CMD_MS);
    assert.doesNotMatch(r.output, /FAILED/, r.output);
    assert.match(r.output, /shims-done/);
    await assertNoZombiesSoon(vm);
  });

  it('brings system-docker and its services back after kill -9', { timeout: 4 * CMD_MS }, async () => {
    const vm = machine();
    const killed = await vm.run('kill -9 $(cat /var/run/system-docker.pid) && echo killed', CMD_MS);
    assert.match(killed.output, /killed/, killed.output);
    await vm.waitFor(/system-docker restarted; system services are back/, 60_000);
    const ps = await vm.run(`system-docker ps --format '{{.Names}} {{.State}}'`, CMD_MS);
    const lines = withoutKernelLines(ps.output).split('\n').map((l) => l.trim());
    assert.ok(lines.includes('console running') && lines.includes('docker running'), ps.output);
  });

  it('reboots cleanly on kill -TERM 1, once even when signalled twice', { timeout: BOOT_MS + SHUTDOWN_MS }, async () => {
    const vm = machine();
    vm.sendLine('kill -TERM 1; kill -TERM 1');
    await cleanShutdown(vm, 'SIGTERM', 'reboot');
    await vm.milestone('init-start', BOOT_MS);
    const starts = vm.milestones().filter((m) => m.name === 'shutdown-start');
    assert.equal(starts.length, 1, 'a second SIGTERM started a second shutdown');
    await vm.milestone('boot-complete', BOOT_MS);
  });

  it('reboots cleanly on ctrl-alt-delete (QMP send-key)', { timeout: BOOT_MS + SHUTDOWN_MS }, async () => {
    const vm = machine();
    await vm.sendKey(['ctrl', 'alt', 'delete']);
    await cleanShutdown(vm, 'ctrl-alt-del', 'reboot');
    await vm.milestone('boot-complete', BOOT_MS);
  });

  it('powers off cleanly on the ACPI power button (QMP system_powerdown)', { timeout: 2 * SHUTDOWN_MS }, async () => {
    const vm = machine();
    await vm.powerdown();
    await cleanShutdown(vm, 'power-button', 'poweroff');
    assert.equal(await vm.waitExit(SHUTDOWN_MS), 0);
    assert.doesNotMatch(vm.tail(400), /Attempted to kill init|Kernel panic/);
  });
});

describe('recovery shell', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('rancher.recovery=true stops the boot in a root shell instead of a panic', { timeout: BOOT_MS + CMD_MS }, async () => {
    vm = await Qemu.start({ name: 'recovery', cmdline: 'rancher.recovery=true' });
    await vm.waitFor('ros recovery shell', BOOT_MS);
    await vm.waitFor('reason: rancher.recovery=true', 10_000);
    await vm.waitForShell();
    const r = await vm.run('readlink /proc/1/exe; ls /var/log/ros/init.log', CMD_MS);
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /\/usr\/bin\/ros/);
    vm.sendLine('poweroff');
    assert.equal(await vm.waitExit(SHUTDOWN_MS), 0);
  });
});
