// `make bench`: boot-time and memory report, comparable run to run.
// A blank state disk is booted twice, each a cold QEMU start (the first boot
// formats the disk and loads images; the second reuses them). Reported: milestone uptimes of
// both boots, their ratio, guest memory after boot, CLI start-up time and
// artefact sizes. Compare ratios within one run: the machine is noisy.
// ROS_DIST=DIR measures another build's dist/ (e.g. the previous base) with
// the same harness, so two builds can be compared on one machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Qemu, REPO_ROOT } from '../test/e2e/qemu';

const BOOT_MS = 300_000;
const DIST = resolve(REPO_ROOT, process.env.ROS_DIST ?? 'dist');
const MILESTONES = ['init-start', 'system-docker-ready', 'services-started', 'user-docker-ready', 'boot-complete'];

type Report = Record<string, number>;

async function bootTwice(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ros-bench-'));
  const disk = join(dir, 'state.img');
  writeFileSync(disk, '');
  truncateSync(disk, 2 * 1024 ** 3);
  try {
    // Two cold boots (a new QEMU each): after a warm reset QEMU/TCG is slower to reach init.
    for (const boot of ['first', 'second']) {
      const vm = await Qemu.start({
        name: `bench-${boot}`,
        kernel: join(DIST, 'vmlinuz'),
        initrd: join(DIST, 'initrd.img'),
        disks: [disk],
        cmdline: 'rancher.state.autoformat=[/dev/vda]',
      });
      try {
        for (const m of MILESTONES) report[`${boot}.${m} (s)`] = await vm.milestone(m, BOOT_MS);
        await vm.waitForShell();
        const mem = await vm.run("free -m | awk '/Mem:/ {print $3}'", 60_000);
        report[`${boot}.memory used (MiB)`] = Number(mem.output.trim().split('\n').pop());
        vm.sendLine('poweroff');
        await vm.waitExit(120_000);
      } finally {
        await vm.stop();
      }
    }
    report['second/first boot-complete ratio'] = report['second.boot-complete (s)']! / report['first.boot-complete (s)']!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cliStartup(report: Report): void {
  const runs = 20;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) execFileSync(join(DIST, 'ros'), ['--version']);
  report['ros --version on the host (ms)'] = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
}

function sizes(report: Report): void {
  for (const f of ['ros', 'vmlinuz', 'initrd.img', 'ros.iso']) report[`dist/${f} (MiB)`] = statSync(join(DIST, f)).size / 1048576;
}

function previous(dir: string): Report | null {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const last = files.at(-1);
  return last ? (JSON.parse(readFileSync(join(dir, last), 'utf8')) as Report) : null;
}

async function main(): Promise<void> {
  const report: Report = {};
  sizes(report);
  cliStartup(report);
  await bootTwice(report);
  const dir = join(REPO_ROOT, process.env.ROS_DIST ? 'build/bench-other' : 'build/bench');
  const before = previous(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const width = Math.max(...Object.keys(report).map((k) => k.length));
  process.stdout.write(`${'metric'.padEnd(width)}  ${'this run'.padStart(10)}  ${'previous'.padStart(10)}\n`);
  for (const [k, v] of Object.entries(report)) {
    const p = before?.[k];
    process.stdout.write(`${k.padEnd(width)}  ${v.toFixed(2).padStart(10)}  ${(p === undefined ? '-' : p.toFixed(2)).padStart(10)}\n`);
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
