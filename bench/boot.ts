// `make bench`: how far ros' boot is from the limit, measured in one run.
// The limit is a baseline built from ros' own initrd that only starts dockerd
// (bench/baseline-image.ts). Baseline and ros boot alternately, N times each
// (N=3), every boot a cold QEMU; then ros boots twice on one blank state disk
// (the first formats it and loads images, the second reuses them). The report
// (build/bench/<time>.json and a table on stdout, README "make bench") gives
// medians, each ros milestone as a multiple of the baseline's docker-ready,
// stage durations, memory, sizes, the issue 13 targets with pass/miss, and the
// change since the previous report.
// ROS_DIST=DIR measures another build's dist/ (reports in build/bench-other).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../test/e2e/qemu';
import { ensureBaselineImage } from './baseline-image';
import { latestReport, summarise, REPORT_FORMAT, type BaselineRun, type BenchReport, type RosRun } from './report';
import { renderReport } from './report-table';
import { bootBaseline, bootRos } from './vm-boots';

const N = Number(process.env.N ?? 3);
const DIST = resolve(REPO_ROOT, process.env.ROS_DIST ?? 'dist');
const OUT = join(REPO_ROOT, process.env.ROS_DIST ? 'build/bench-other' : 'build/bench');
const KERNEL = join(DIST, 'vmlinuz');
const INITRD = join(DIST, 'initrd.img');

const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const secs = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(1)} s`);

function sizes(baseline: string): Record<string, number> {
  const mib = (f: string) => statSync(f).size / 1048576;
  const out: Record<string, number> = {};
  for (const f of ['vmlinuz', 'initrd.img', 'ros.iso', 'ros']) if (existsSync(join(DIST, f))) out[`dist/${f}`] = mib(join(DIST, f));
  out['baseline initrd (lz4)'] = mib(baseline);
  return out;
}

function cliStartupMs(): number {
  const runs = 20;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) execFileSync(join(DIST, 'ros'), ['--version']);
  return Number(process.hrtime.bigint() - t0) / 1e6 / runs;
}

function commit(): string {
  try {
    return execFileSync('git', ['-C', REPO_ROOT, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function previous(): BenchReport | null {
  const files = existsSync(OUT) ? readdirSync(OUT).filter((f) => f.endsWith('.json')) : [];
  return latestReport(files.map((name) => {
    try {
      return { name, json: JSON.parse(readFileSync(join(OUT, name), 'utf8')) as unknown };
    } catch {
      return { name, json: null };
    }
  }));
}

async function alternate(baselineInitrd: string): Promise<{ baseline: BaselineRun[]; ros: RosRun[] }> {
  const baseline: BaselineRun[] = [];
  const ros: RosRun[] = [];
  const step = (i: number, what: string) => `[${i}/${N}] ${what}`;
  for (let i = 1; i <= N; i++) {
    progress(step(i, 'baseline booting'));
    const b = await bootBaseline(`bench-baseline-${i}`, KERNEL, baselineInitrd);
    baseline.push(b);
    progress(step(i, `baseline: init-start ${secs(b.milestones['init-start'])}, docker-ready ${secs(b.milestones['docker-ready'])}${b.error ? `; FAILED: ${b.error}` : ''}`));
    progress(step(i, 'ros booting'));
    const r = await bootRos(`bench-ros-${i}`, { kernel: KERNEL, initrd: INITRD });
    ros.push(r);
    const m = r.milestones;
    progress(step(i, `ros: system-docker-ready ${secs(m['system-docker-ready'])}, user-docker-ready ${secs(m['user-docker-ready'])}, boot-complete ${secs(m['boot-complete'])}${r.error ? `; FAILED: ${r.error}` : ''}`));
  }
  return { baseline, ros };
}

async function stateDiskBoots(): Promise<{ first: RosRun; second: RosRun }> {
  const dir = mkdtempSync(join(tmpdir(), 'ros-bench-'));
  const disk = join(dir, 'state.img');
  writeFileSync(disk, '');
  truncateSync(disk, 2 * 1024 ** 3);
  try {
    const boots: RosRun[] = [];
    for (const which of ['first', 'second']) {
      progress(`state disk: ${which} boot`);
      const r = await bootRos(`bench-${which}`, { kernel: KERNEL, initrd: INITRD, disks: [disk], cmdline: 'rancher.state.autoformat=[/dev/vda]', powerOff: true });
      progress(`state disk: ${which} boot-complete ${secs(r.milestones['boot-complete'])}${r.error ? `; FAILED: ${r.error}` : ''}`);
      boots.push(r);
    }
    return { first: boots[0]!, second: boots[1]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(N) || N < 1) throw new Error(`N=${process.env.N}: a positive whole number of boots, please`);
  for (const f of [KERNEL, INITRD]) if (!existsSync(f)) throw new Error(`${relative(REPO_ROOT, f)} does not exist: run \`make image\` first`);
  const before = previous();
  const image = ensureBaselineImage(INITRD, OUT);
  progress(`baseline image ${relative(REPO_ROOT, image.path)} (${image.built ? 'built' : 'built earlier from this initrd'})`);
  const cliMs = cliStartupMs();
  const { baseline, ros } = await alternate(image.path);
  const stateDisk = await stateDiskBoots();
  const date = new Date().toISOString();
  const report: BenchReport = {
    format: REPORT_FORMAT,
    date,
    commit: commit(),
    n: N,
    sizes: sizes(image.path),
    cliStartupMs: cliMs,
    baseline,
    ros,
    stateDisk,
    summary: summarise(baseline, ros, stateDisk),
  };
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `${date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${[...renderReport(report, before), '', `report: ${relative(REPO_ROOT, file)}`].join('\n')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
