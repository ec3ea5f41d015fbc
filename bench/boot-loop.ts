// `make boot-loop N=30`: boots ros N times in a row and reports every boot that
// hangs and every kernel lockup line, so a rare boot hang shows up as a number.
// Odd boots get a new blank state disk to format, even boots reuse it (a second
// boot); every boot has consoles on tty1 and ttyS0 and printk.devkmsg=on, the
// conditions of the one hang users saw. A boot hangs when boot-complete is not
// printed within BOOT_S seconds, or when the powered-off guest does not exit.
// ROS_DIST=DIR boots DIR/vmlinuz + DIR/initrd.img instead of dist/ (to compare
// two builds); LOGLEVEL=N raises the console log level for backtraces.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Qemu, REPO_ROOT } from '../test/e2e/qemu';

const N = Number(process.env.N ?? 30);
const BOOT_S = Number(process.env.BOOT_S ?? 300);
const DIST = resolve(REPO_ROOT, process.env.ROS_DIST ?? 'dist');
const BASE = 'console=tty1 console=ttyS0,115200n8 rancher.autologin=ttyS0 printk.devkmsg=on';
/** Kernel words that mean a CPU or a task stopped making progress. */
const LOCKUP = /soft lockup|hard LOCKUP|rcu_\w+ (self-)?detected stall|rcu: INFO: \w+ (self-)?detected stall|blocked for more than \d+ seconds/;

interface BootResult {
  boot: number;
  disk: 'fresh' | 'reused';
  bootComplete: number | null;
  hung: string | null;
  lockupLines: string[];
  log: string;
}

async function bootOnce(boot: number, disk: string, fresh: boolean): Promise<BootResult> {
  const cmdline = [fresh ? 'rancher.state.autoformat=[/dev/vda]' : '', process.env.LOGLEVEL ? `loglevel=${process.env.LOGLEVEL}` : ''].join(' ');
  const vm = await Qemu.start({
    name: `boot-loop-${boot}`,
    kernel: join(DIST, 'vmlinuz'),
    initrd: join(DIST, 'initrd.img'),
    baseCmdline: BASE,
    cmdline,
    disks: [disk],
  });
  const result: BootResult = { boot, disk: fresh ? 'fresh' : 'reused', bootComplete: null, hung: null, lockupLines: [], log: vm.logPath };
  try {
    result.bootComplete = await vm.milestone('boot-complete', BOOT_S * 1000);
    await vm.waitForShell(120_000);
    vm.sendLine('poweroff');
    await vm.waitExit(180_000);
  } catch (err) {
    result.hung = (err as Error).message.split('\n')[0] ?? 'unknown';
  } finally {
    await vm.stop();
  }
  result.lockupLines = readFileSync(vm.logPath, 'utf8').split('\n').filter((l) => LOCKUP.test(l)).map((l) => l.trim());
  return result;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ros-boot-loop-'));
  const disk = join(dir, 'state.img');
  const results: BootResult[] = [];
  process.stdout.write(`boot-loop: ${N} boots of ${DIST}, consoles tty1+ttyS0, printk.devkmsg=on, odd boots on a blank disk\n`);
  try {
    for (let boot = 1; boot <= N; boot++) {
      const fresh = boot % 2 === 1;
      if (fresh) {
        writeFileSync(disk, '');
        truncateSync(disk, 2 * 1024 ** 3);
      }
      const r = await bootOnce(boot, disk, fresh);
      results.push(r);
      const what = r.hung ? `HUNG (${r.hung})` : `boot-complete ${r.bootComplete?.toFixed(1)} s`;
      process.stdout.write(`boot ${boot}/${N} [${r.disk} disk]: ${what}, lockup lines ${r.lockupLines.length}${r.hung || r.lockupLines.length ? `  log ${r.log}` : ''}\n`);
      for (const l of r.lockupLines.slice(0, 3)) process.stdout.write(`    ${l}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const hangs = results.filter((r) => r.hung).length;
  const lockups = results.reduce((n, r) => n + r.lockupLines.length, 0);
  const times = results.flatMap((r) => (r.bootComplete === null ? [] : [r.bootComplete])).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  process.stdout.write(`boot-loop: ${results.length} boots, ${hangs} hangs, ${lockups} lockup lines; median boot-complete ${median?.toFixed(1) ?? '-'} s\n`);
  const out = join(REPO_ROOT, 'build/boot-loop');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ dist: DIST, results }, null, 2)}\n`);
  if (hangs > 0 || lockups > 0) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(`boot-loop: ${err.message}\n`);
  process.exit(1);
});
