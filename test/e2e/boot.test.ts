// User story: boot ros with the default kernel command line, find the system and user
// Docker daemons up and ros (not dockerd) as PID 1, then power off from the console.
// One boot is shared by every check: under TCG a boot takes minutes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';

const BOOT_TIMEOUT_MS = 300_000;
const COMMAND_TIMEOUT_MS = 120_000;
const POWEROFF_TIMEOUT_MS = 120_000;
const BOOT_MILESTONES = ['init-start', 'system-docker-ready', 'services-started', 'user-docker-ready', 'boot-complete'];

/** Output lines without kernel console noise, trimmed. */
function lines(output: string): string[] {
  return withoutKernelLines(output)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('boot with the default command line', () => {
  let vm: Qemu | undefined;
  let bootError: Error | undefined;

  /** The shared VM, once it has booted; a failed boot fails every later check at once. */
  function booted(): Qemu {
    if (bootError) throw new Error(`the shared boot failed, so this check cannot run: ${bootError.message}`);
    return started();
  }

  function started(): Qemu {
    if (!vm) throw startError ?? new Error('the shared VM was not started');
    return vm;
  }

  let startError: Error | undefined;
  before(async () => {
    // Kept rather than thrown: a failing before() reports every check as "cancelled", while
    // a missing image must show as a failure of each check, saying to run `make image`.
    vm = await Qemu.start({ name: 'boot' }).catch((err: Error) => {
      startError = err;
      return undefined;
    });
  });

  after(async () => {
    await vm?.stop();
  });

  it('reaches boot-complete through every boot milestone in order', { timeout: BOOT_TIMEOUT_MS + 10_000 }, async () => {
    const vm = started();
    try {
      await vm.milestone('boot-complete', BOOT_TIMEOUT_MS);
    } catch (err) {
      bootError = err as Error;
      throw err;
    }
    const seen = vm.milestones();
    let previous = 0;
    for (const name of BOOT_MILESTONES) {
      const m = seen.find((s) => s.name === name);
      assert.ok(m, vm.console.explain(`milestone ${name} was never printed`));
      assert.ok(Number.isFinite(m.uptime), `milestone ${name} has no numeric uptime`);
      assert.ok(m.uptime >= previous, vm.console.explain(`milestone ${name} at ${m.uptime} s comes before ${previous} s`));
      previous = m.uptime;
    }
  });

  it('runs the console and docker system containers', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run(`system-docker ps --format '{{.Names}} {{.State}}'`, COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    const out = lines(r.output);
    assert.ok(out.includes('console running'), `no "console running" in:\n${r.output}`);
    assert.ok(out.includes('docker running'), `no "docker running" in:\n${r.output}`);
  });

  it('runs a container on the user docker', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run('docker run --rm busybox echo hi', COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    assert.ok(lines(r.output).includes('hi'), `no line "hi" in:\n${r.output}`);
  });

  it('has ros, not dockerd, as PID 1', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const exe = await booted().run('readlink /proc/1/exe', COMMAND_TIMEOUT_MS);
    assert.equal(exe.code, 0, exe.output);
    const path = lines(exe.output).join('\n');
    assert.match(path, /ros|init/);
    assert.doesNotMatch(path, /dockerd/);

    const comm = await booted().run('cat /proc/1/comm', COMMAND_TIMEOUT_MS);
    assert.equal(comm.code, 0, comm.output);
    const name = lines(comm.output).join('\n');
    assert.notEqual(name, '', 'PID 1 has an empty comm');
    assert.doesNotMatch(name, /dockerd/);
  });

  it('answers ros os version', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run('ros os version', COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    assert.notEqual(lines(r.output).join('\n'), '', 'ros os version printed nothing');
  });

  it('powers off when poweroff is typed on the console', { timeout: POWEROFF_TIMEOUT_MS + 10_000 }, async () => {
    const machine = booted();
    // Not run(): the shell goes away with the machine, so no end marker would ever come back.
    machine.sendLine('poweroff');
    await machine.waitExit(POWEROFF_TIMEOUT_MS); // rejects with the console tail on timeout or panic
  });
});
