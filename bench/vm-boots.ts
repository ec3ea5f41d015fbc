// The boots `make bench` measures, each a cold QEMU with the e2e harness'
// flags (test/e2e/qemu-command.ts: TCG single-threaded, 2 vCPUs, 2 GiB).
import { Qemu } from '../test/e2e/qemu';
import type { BootTimeline } from '../src/init/boot-timeline';
import { baselineMarkers, jsonIn, kernelMarks, memoryUsedMiB, parseSmapsRollup, timelineDurations } from './guest-parse';
import { ROS_MILESTONES, type BaselineRun, type RosRun } from './report';

const BOOT_MS = 300_000;
const PROBE_MS = 60_000;

/** The baseline image: its init prints `[bench] …` markers and then idles until QEMU is killed. */
export async function bootBaseline(name: string, kernel: string, initrd: string): Promise<BaselineRun> {
  const vm = await Qemu.start({ name, kernel, initrd });
  try {
    await vm.waitFor(/\[bench\] memory-used kib=\d+\r?\n/, BOOT_MS);
    return measured(vm.console.text, vm.logPath);
  } catch (err) {
    return { ...measured(vm.console.text, vm.logPath), error: (err as Error).message.split('\n')[0] ?? '' };
  } finally {
    await vm.kill();
  }
}

function measured(console: string, log: string): BaselineRun {
  const b = baselineMarkers(console);
  const k = kernelMarks(console);
  return { milestones: { ...k.milestones, ...b.milestones }, unpackS: k.unpackS, memoryUsedMiB: b.memoryUsedMiB, log };
}

export interface RosBootOptions {
  kernel: string;
  initrd: string;
  disks?: string[];
  cmdline?: string;
  /** Power off cleanly at the end (a state disk must be left consistent); otherwise QEMU is killed. */
  powerOff?: boolean;
}

/** One ros boot: its milestones, then, from the console's root shell, memory and the boot timeline. */
export async function bootRos(name: string, opts: RosBootOptions): Promise<RosRun> {
  const vm = await Qemu.start({ name, kernel: opts.kernel, initrd: opts.initrd, disks: opts.disks ?? [], cmdline: opts.cmdline ?? '' });
  const run: RosRun = { milestones: {}, unpackS: null, stages: {}, tasks: {}, pid1: null, memoryUsedMiB: null, log: vm.logPath };
  const failed = (what: string, err: unknown) => {
    run.error ??= `${what}: ${(err as Error).message.split('\n')[0] ?? ''}`;
  };
  try {
    for (const m of ROS_MILESTONES) run.milestones[m] = await vm.milestone(m, BOOT_MS);
  } catch (err) {
    failed('boot', err);
  }
  const k = kernelMarks(vm.console.text);
  run.milestones = { ...k.milestones, ...run.milestones };
  run.unpackS = k.unpackS;
  if (run.error) {
    await vm.kill();
    return run;
  }
  const probes: [string, (out: string) => void][] = [
    ['cat /proc/meminfo', (out) => (run.memoryUsedMiB = memoryUsedMiB(out))],
    ['cat /proc/1/smaps_rollup', (out) => (run.pid1 = parseSmapsRollup(out))],
    ['cat /run/ros/boot-timeline.json', (out) => Object.assign(run, timelineDurations(jsonIn(out) as BootTimeline))],
  ];
  try {
    for (const [cmd, use] of probes) await probe(vm, cmd, use).catch((err: unknown) => failed(cmd, err));
    if (opts.powerOff) {
      vm.sendLine('poweroff');
      await vm.waitExit(180_000);
    }
  } catch (err) {
    failed('poweroff', err);
  } finally {
    await vm.kill();
  }
  return run;
}

async function probe(vm: Qemu, cmd: string, use: (output: string) => void): Promise<void> {
  const r = await vm.run(cmd, PROBE_MS);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.output.slice(0, 200)}`);
  try {
    use(r.output);
  } catch (err) {
    throw new Error(`unexpected output: ${(err as Error).message}`, { cause: err });
  }
}
