import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { latestReport, median, medianRecord, summarise, REPORT_FORMAT, type BaselineRun, type BenchReport, type RosRun } from '../../../bench/report';
import { renderReport } from '../../../bench/report-table';

const baseline = (ready: number, mem = 150): BaselineRun => ({ milestones: { 'init-start': 2, 'docker-ready': ready }, unpackS: 3.8, memoryUsedMiB: mem, log: 'b.log' });
const ros = (sdr: number, udr: number, extra: Partial<RosRun> = {}): RosRun => ({
  unpackS: 11.1,
  milestones: { 'run-init': 8, 'init-start': 9, 'system-docker-ready': sdr, 'services-started': sdr + 5, 'user-docker-ready': udr, 'boot-complete': udr },
  stages: { kernel: 1.5, storage: 2 },
  tasks: { 'kernel/modules': 1 },
  pid1: { rssMiB: 80, pssMiB: 78, privateMiB: 45, privateDirtyMiB: 30 },
  memoryUsedMiB: 600,
  log: 'r.log',
  ...extra,
});
const disk = (first: number, second: number) => ({ first: ros(18, first), second: ros(18, second, { memoryUsedMiB: 280 }) });

function report(s: ReturnType<typeof summarise>, extra: Partial<BenchReport> = {}): BenchReport {
  return { format: REPORT_FORMAT, date: '2026-12-03T20:00:00.000Z', commit: 'abc1234', n: 3, sizes: { 'dist/initrd.img': 127.5 }, cliStartupMs: 120, baseline: [], ros: [], stateDisk: null, summary: s, ...extra };
}

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
    assert.equal(median([Number.NaN, 5]), 5);
  });

  it('takes each key over the records that have it', () => {
    assert.deepEqual(medianRecord([{ a: 1, b: 10 }, { a: 3 }, { a: 2, b: 20 }]), { a: 2, b: 15 });
  });
});

describe('summarise', () => {
  const s = summarise([baseline(6), baseline(7), baseline(5)], [ros(18, 35), ros(20, 30), ros(19, 40)], disk(40, 38));

  it('divides each ros milestone median by the baseline docker-ready median', () => {
    assert.equal(s.baseline['docker-ready'], 6);
    assert.equal(s.ros['system-docker-ready'], 19);
    assert.equal(s.ratios['system-docker-ready'], 19 / 6);
    assert.equal(s.ratios['user-docker-ready'], 35 / 6);
    assert.equal(s.ratios['init-start'], 9 / 6);
  });

  it('compares the second state-disk boot with the first', () => {
    assert.deepEqual(s.stateDisk, { first: 40, second: 38, ratio: 38 / 40 });
  });

  it('marks each target pass or miss', () => {
    assert.deepEqual(s.targets.map((t) => [t.name.split(' ')[0], t.pass]), [
      ['system-docker-ready', false],
      ['user-docker-ready', false],
      ['second', true],
      ['memory', false],
      ['memory', true],
    ]);
    assert.equal(s.memoryUsedMiB.stateDisk, 280);
    const fast = summarise([baseline(10, 100)], [ros(11, 19, { memoryUsedMiB: 250 })], null);
    assert.deepEqual(fast.targets.map((t) => t.pass), [true, true, null, true, null]);
  });

  it('leaves out what a failed boot did not measure, and says a target was not measured', () => {
    const failed = summarise([{ milestones: { 'init-start': 2 }, unpackS: null, memoryUsedMiB: null, log: 'b.log', error: 'timeout' }], [ros(18, 35)], null);
    assert.deepEqual(failed.ratios, {});
    assert.equal(failed.targets[0]?.value, null);
    assert.equal(failed.targets[0]?.pass, null);
    assert.equal(failed.memoryUsedMiB.baseline, null);
  });
});

describe('latestReport', () => {
  it('picks the newest report of this format by file name', () => {
    const old = { format: 1 };
    const a = report(summarise([baseline(6)], [ros(18, 35)], null), { date: 'a' });
    const b = report(summarise([baseline(6)], [ros(18, 35)], null), { date: 'b' });
    assert.equal(latestReport([{ name: '2026-12-02.json', json: b }, { name: '2026-12-01.json', json: a }, { name: '2026-12-03.json', json: old }])?.date, 'b');
    assert.equal(latestReport([{ name: 'x.json', json: null }]), null);
  });
});

describe('renderReport', () => {
  const now = report(summarise([baseline(6)], [ros(18, 36)], disk(40, 38)));
  const lines = renderReport(now, null);
  const row = (ls: string[], name: string) => ls.find((l) => l.startsWith(`${name} `)) ?? '';

  it('has a row per milestone with baseline, ros and the ratio', () => {
    assert.match(row(lines, 'docker-ready'), /6\.0 s\s+-\s+-$/);
    assert.match(row(lines, 'system-docker-ready'), /-\s+18\.0 s\s+3\.00 ×$/);
    assert.match(row(lines, 'user-docker-ready'), /36\.0 s\s+6\.00 ×$/);
  });

  it('puts the kernel\'s own marks first and says how long each unpacked its initramfs', () => {
    const at = (name: string) => lines.findIndex((l) => l.startsWith(`${name} `));
    assert.ok(at('initramfs-unpacked') < at('run-init') && at('run-init') < at('init-start'));
    assert.match(row(lines, 'run-init'), /-\s+8\.0 s\s+1\.33 ×$/);
    assert.ok(lines.includes('initramfs unpack (kernel, median): baseline 3.8 s · ros 11.1 s'));
  });

  it('gives PID 1\'s private memory and its dirty part, which an older report lacks', () => {
    assert.ok(lines.includes('PID 1 of ros (/proc/1/smaps_rollup): Rss 80.0 MiB · Pss 78.0 MiB · private 45.0 MiB (dirty 30.0 MiB)'));
    const old = renderReport(report(summarise([baseline(6)], [ros(18, 36, { pid1: { rssMiB: 80, pssMiB: 78, privateMiB: 45 } })], null)), null);
    assert.ok(old.includes('PID 1 of ros (/proc/1/smaps_rollup): Rss 80.0 MiB · Pss 78.0 MiB · private 45.0 MiB'));
  });

  it('prints each target with pass or miss', () => {
    assert.ok(lines.includes('  miss  system-docker-ready ≤ 1.2 × baseline docker-ready: 3.00 ×'));
    assert.ok(lines.includes('  pass  second state-disk boot no slower than the first: 0.95 ×'));
    assert.ok(lines.includes('  miss  memory in use after boot-complete ≤ 300 MiB, from RAM: 600 MiB'));
    assert.ok(lines.includes('  pass  memory in use after boot-complete ≤ 300 MiB, state disk: 280 MiB'));
  });

  it('shows the previous ratios and the change when there is a previous report', () => {
    const before = report(summarise([baseline(6)], [ros(24, 36)], null), { commit: 'old0001' });
    const ls = renderReport(now, before);
    assert.match(row(ls, 'system-docker-ready'), /3\.00 ×\s+4\.00 ×\s+-1\.00$/);
    assert.match(row(ls, 'user-docker-ready'), /6\.00 ×\s+6\.00 ×\s+\+0\.00$/);
    assert.ok(ls.some((l) => l.startsWith('previous report: 2026-12-03T20:00:00.000Z (ros old0001')));
    assert.ok(ls.includes('  miss  system-docker-ready ≤ 1.2 × baseline docker-ready: 3.00 × (previous 4.00 ×)'));
  });

  it('names a failed boot and its console log', () => {
    const failed = report(now.summary, { ros: [ros(18, 36, { error: 'boot: no boot-complete', log: 'build/e2e-logs/x.log' })] });
    assert.ok(renderReport(failed, null).includes('FAILED ros 1: boot: no boot-complete (console: build/e2e-logs/x.log)'));
  });
});
