// User story: boot ros with the default kernel command line, find the system and user
// Docker daemons up and ros (not dockerd) as PID 1, on the current base (kernel 6.12,
// Docker 26, cgroup v2, Node 24), containers entered with pivot_root, then power
// off from the console.
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

  it('draws this boot with ros os boot-time: a row per stage, the milestones, the critical path', { timeout: 2 * COMMAND_TIMEOUT_MS }, async (t) => {
    const vm = booted();
    const chart = await vm.run('ros os boot-time --width 100', COMMAND_TIMEOUT_MS);
    assert.equal(chart.code, 0, chart.output);
    const text = withoutKernelLines(chart.output);
    // One diagnostic a line: the test output shows the chart as the console did.
    for (const l of ['ros os boot-time:', ...text.split('\n')]) t.diagnostic(l);
    assert.match(text, /^boot complete at \S+ s uptime/m, text);
    for (const stage of ['early', 'storage', 'system-docker', 'services', 'user-docker', 'user-images', 'user-services', 'cloud-init']) {
      assert.match(text, new RegExp(`^${stage} +\\S+ s [* !] `, 'm'), `no row for ${stage} in:\n${text}`);
    }
    for (const name of BOOT_MILESTONES) assert.match(text, new RegExp(`^${name} +\\S+ s +[ :]*\\|`, 'm'), `no milestone ${name} in:\n${text}`);
    assert.match(text, /#/, 'no critical path drawn');
    const json = await vm.run('ros os boot-time --json', COMMAND_TIMEOUT_MS);
    assert.equal(json.code, 0, json.output);
    const raw = withoutKernelLines(json.output);
    const timeline = JSON.parse(raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1)) as { outcome: string; criticalPath: string[]; stages: { name: string; needs: string[] }[] };
    assert.equal(timeline.outcome, 'complete');
    assert.ok(timeline.criticalPath.length > 0);
    assert.deepEqual(timeline.stages.find((s) => s.name === 'user-images')?.needs, ['user-docker']);
  });

  it('runs a container on the user docker', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run('docker run --rm busybox echo hi', COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    assert.ok(lines(r.output).includes('hi'), `no line "hi" in:\n${r.output}`);
  });

  it('enters containers with pivot_root: neither dockerd has DOCKER_RAMDISK', { timeout: 3 * COMMAND_TIMEOUT_MS }, async () => {
    const vm = booted();
    // DOCKER_RAMDISK makes runc enter a container with chroot, which a root process can leave.
    const env = await vm.run(`for p in $(pidof dockerd); do echo "dockerd $p DOCKER_RAMDISK=$(tr '\\0' '\\n' < /proc/$p/environ | grep -c '^DOCKER_RAMDISK=')"; done`, COMMAND_TIMEOUT_MS);
    const daemons = lines(env.output).filter((l) => l.startsWith('dockerd '));
    assert.equal(daemons.length, 2, `not two dockerds:\n${env.output}`);
    for (const d of daemons) assert.match(d, /DOCKER_RAMDISK=0$/, `a dockerd has DOCKER_RAMDISK:\n${env.output}`);
    // runc's own record of each running container (the console on system-docker, one on the user Docker) says how it was entered.
    const r = await vm.run(
      [
        'docker run -d --name pivot busybox sleep 600 >/dev/null',
        'for f in /var/run/system-docker/runtime-runc/moby/*/state.json /var/run/docker/runtime-runc/moby/*/state.json; do echo "state $(grep -o \'"no_pivot_root":[a-z]*\' "$f")"; done',
        // Only the container's own mounts: with chroot, the host's root would still be under it.
        'docker exec pivot cat /proc/self/mountinfo | awk \'{ print "mount", $5, $(NF-2) }\'',
        'docker rm -f pivot >/dev/null',
      ].join('\n'),
      COMMAND_TIMEOUT_MS,
    );
    assert.equal(r.code, 0, r.output);
    const states = lines(r.output).filter((l) => l.startsWith('state '));
    assert.ok(states.length >= 2, `no runc state of a running container:\n${r.output}`);
    for (const s of states) assert.equal(s, 'state "no_pivot_root":false', r.output);
    const roots = lines(r.output).filter((l) => l.startsWith('mount / '));
    assert.deepEqual(roots, ['mount / overlay'], `the container's / is not one overlay mount:\n${r.output}`);
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

  it('runs the current base: kernel 6.12, Docker 26.1.5 in both daemons, cgroup v2', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const vm = booted();
    const one = async (cmd: string): Promise<string> => {
      const r = await vm.run(cmd, COMMAND_TIMEOUT_MS);
      assert.equal(r.code, 0, `${cmd}:\n${r.output}`);
      return lines(r.output).join('\n');
    };
    assert.match(await one('uname -r'), /^6\.12\.\d+/);
    assert.equal(await one('stat -fc %T /sys/fs/cgroup'), 'cgroup2fs');
    assert.equal(await one('grep -c " cgroup " /proc/mounts || true'), '0', 'a cgroup v1 hierarchy is mounted');
    // Debian's engine calls itself 26.1.5+dfsg1 (its repacked source).
    assert.match(await one(`docker version --format '{{.Server.Version}}'`), /^26\.1\.5(\+|$)/);
    assert.match(await one(`system-docker version --format '{{.Server.Version}}'`), /^26\.1\.5(\+|$)/);
  });

  it('applies --memory and --cpus in the user Docker and shows them in docker stats', { timeout: 3 * COMMAND_TIMEOUT_MS }, async () => {
    const vm = booted();
    const mem = await vm.run('docker run --rm --memory 64m busybox cat /sys/fs/cgroup/memory.max', COMMAND_TIMEOUT_MS);
    assert.equal(mem.code, 0, mem.output);
    assert.ok(lines(mem.output).includes('67108864'), `memory.max is not 64 MiB:\n${mem.output}`);
    const cpu = await vm.run('docker run --rm --cpus 0.5 busybox cat /sys/fs/cgroup/cpu.max', COMMAND_TIMEOUT_MS);
    assert.equal(cpu.code, 0, cpu.output);
    assert.ok(lines(cpu.output).includes('50000 100000'), `cpu.max is not half a CPU:\n${cpu.output}`);
    const stats = await vm.run(
      `docker run -d --name limited --memory 64m busybox sleep 600 >/dev/null && docker stats --no-stream --format '{{.Name}} {{.MemUsage}}' limited; docker rm -f limited >/dev/null`,
      COMMAND_TIMEOUT_MS,
    );
    assert.equal(stats.code, 0, stats.output);
    assert.match(stats.output, /limited \S+ \/ 64MiB/, `docker stats shows no 64MiB limit:\n${stats.output}`);
  });

  it('runs every catalogue service under cgroup v2', { timeout: 4 * COMMAND_TIMEOUT_MS }, async () => {
    const vm = booted();
    const names = ['ntp', 'syslog', 'acpid', 'crond'];
    const up = await vm.run(`for s in ${names.join(' ')}; do ros service enable $s --now || exit 1; done`, 3 * COMMAND_TIMEOUT_MS);
    assert.equal(up.code, 0, up.output);
    // Up for a few seconds and not restarting: a service that cannot start under cgroup v2 would be restarting.
    const ps = await vm.run(`sleep 5; system-docker ps --format '{{.Names}} {{.State}} {{.Status}}'`, COMMAND_TIMEOUT_MS);
    assert.equal(ps.code, 0, ps.output);
    for (const name of [...names, 'console', 'docker']) {
      assert.match(ps.output, new RegExp(`^${name} running Up`, 'm'), `${name} is not running:\n${ps.output}`);
    }
    // Six system containers share the ros-system shim (the io.containerd.runc.v2.group annotation).
    // Two when the console and the docker service, started at once, raced containerd's shim start;
    // the pattern is the serving shim's command line, not a short-lived `… start` or `… delete`.
    const shims = await vm.run(`for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done | grep -c '^/usr/bin/containerd-shim-runc-v2 -namespace moby -id [^ ]* -address [^ ]*system-docker[^ ]* *$'`, COMMAND_TIMEOUT_MS);
    assert.match(lines(shims.output).at(-1) ?? '', /^[12]$/, shims.output);
  });

  it('keeps transparent huge pages off', { timeout: COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run('cat /sys/kernel/mm/transparent_hugepage/enabled', COMMAND_TIMEOUT_MS);
    assert.match(r.output, /\[never\]/, r.output);
  });

  it('stays up while the kernel patches its own code under load (the cause of the old boot hang)', { timeout: 6 * COMMAND_TIMEOUT_MS }, async () => {
    const vm = booted();
    // Each write flips a scheduler static key: the kernel rewrites a branch in
    // code both CPUs are running (int3, IPI, final byte). Container starts do
    // the same with cgroup and netfilter keys; under multi-threaded TCG this
    // oopsed or hung the guest within seconds.
    const script = [
      '( while :; do usleep 100; done ) & a=$!',
      '( while :; do usleep 150; done ) & b=$!',
      'i=0; while [ $i -lt 1000 ]; do echo 1 > /proc/sys/kernel/sched_schedstats; echo 0 > /proc/sys/kernel/sched_schedstats; i=$((i+1)); done',
      'kill $a $b; echo flips=$i',
    ].join('\n');
    const r = await vm.run(script, 5 * COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    assert.ok(lines(r.output).includes('flips=1000'), r.output);
    assert.doesNotMatch(vm.tail(400), /Oops|soft lockup|rcu_\w+ (self-)?detected stall/, vm.console.explain('the kernel complained'));
  });

  it('answers ros os version with every part of the node', { timeout: 2 * COMMAND_TIMEOUT_MS }, async () => {
    const r = await booted().run('ros os version --json', COMMAND_TIMEOUT_MS);
    assert.equal(r.code, 0, r.output);
    const text = withoutKernelLines(r.output);
    const v = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Record<string, unknown>;
    assert.match(String(v.version), /^\d+\.\d+\.\d+/);
    assert.match(String(v.node), /^v24\./);
    assert.match(String(v.kernel), /^6\.12\./);
    assert.match(String((v.docker as { version?: string } | null)?.version), /^26\.1\.5/);
    assert.match(String((v.systemDocker as { version?: string } | null)?.version), /^26\.1\.5/);
    assert.match(String(v.containerd), /^1\.7\./);
    assert.match(String(v.runc), /^1\.1\.\d+/);
    const text2 = await booted().run('ros os version', COMMAND_TIMEOUT_MS);
    for (const part of ['ros', 'node', 'kernel', 'system-docker', 'docker', 'containerd', 'runc']) {
      assert.match(text2.output, new RegExp(`^${part}\\s+\\S`, 'm'), `no ${part} line in:\n${text2.output}`);
    }
  });

  it('powers off when poweroff is typed on the console', { timeout: POWEROFF_TIMEOUT_MS + 10_000 }, async () => {
    const machine = booted();
    // Not run(): the shell goes away with the machine, so no end marker would ever come back.
    machine.sendLine('poweroff');
    await machine.waitExit(POWEROFF_TIMEOUT_MS); // rejects with the console tail on timeout or panic
  });
});
