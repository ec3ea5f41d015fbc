import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootTimeline } from '../../../src/init/boot-timeline';
import { renderBootTime } from '../../../src/cli/boot-time-chart';
import { readTimeline } from '../../../src/cli/os-boot-time';

const FIXTURE = join(__dirname, 'fixtures', 'boot-timeline.json');
const fixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as BootTimeline;
/** The row of a label: the line that starts with it followed by spaces. */
const row = (lines: string[], label: string) => lines.find((l) => l.startsWith(`${label} `));
const bar = (line: string | undefined) => (line ?? '').slice(31);

describe('renderBootTime', () => {
  it('fits 80 columns: one row per stage, then the milestones', () => {
    const lines = renderBootTime(fixture(), { width: 80, tasks: false });
    assert.ok(lines.every((l) => l.length <= 79), lines.find((l) => l.length > 79));
    for (const s of fixture().stages) assert.ok(row(lines, s.name), `row for ${s.name}`);
    assert.equal(row(lines, 'mount-pseudo-fs'), undefined);
    for (const m of fixture().milestones) assert.ok(row(lines, m.name), `row for ${m.name}`);
    assert.ok(lines.length <= 30, 'a screen');
  });

  it('draws bars on one axis, in the order they ran', () => {
    const lines = renderBootTime(fixture(), { width: 80, tasks: false });
    const first = (label: string) => bar(row(lines, label)).search(/[#=]/);
    assert.ok(first('kernel') < first('storage'));
    assert.ok(first('system-images') < first('services'));
    assert.ok(first('services') < first('user-docker'));
    // user-docker took 8.3 s of 35.5: about a quarter of the axis.
    const width = (bar(row(lines, 'user-docker')).match(/[#=]/g) ?? []).length;
    assert.ok(width >= 10 && width <= 14, String(width));
  });

  it('marks the critical path and the durations', () => {
    const lines = renderBootTime(fixture(), { width: 80, tasks: true });
    assert.match(row(lines, '  load-modules') ?? '', /1\.48 s \* +#+/);
    assert.match(row(lines, '  quiet-console') ?? '', /0\.01 s {3}[ :]*=/);
    assert.match(row(lines, '  hide-init-args') ?? '', /skipped$/);
    assert.match(row(lines, 'user-docker') ?? '', /8\.30 s \*/);
  });

  it('marks milestones on the axis', () => {
    const lines = renderBootTime(fixture(), { width: 80, tasks: false });
    const at = (name: string) => (row(lines, name) ?? '').indexOf('|');
    assert.ok(at('init-start') < at('system-docker-ready') && at('system-docker-ready') < at('services-started'));
    assert.equal((row(lines, 'config') ?? '')[at('init-start')], ':');
  });

  it('says how far a stopped boot got, with the running task drawn to the last update', () => {
    const t = fixture();
    t.stages = t.stages.slice(0, 10);
    const last = t.stages.at(-1)!;
    last.end = null;
    last.status = 'running';
    last.tasks[0]!.end = null;
    last.tasks[0]!.status = 'running';
    t.milestones = t.milestones.slice(0, 1);
    t.outcome = 'stopped';
    t.reason = 'shutdown';
    t.updated = 20;
    const lines = renderBootTime(t, { width: 80, tasks: true });
    assert.match(lines[0] ?? '', /^boot stopped at 20\.0 s uptime: shutdown/);
    assert.match(row(lines, 'system-docker') ?? '', /running \* [ :]*#*>$/);
  });

  it('draws stages that ran at once side by side, the one the boot waited for on the critical path', () => {
    const span = (name: string, start: number, end: number, needs: string[]) => ({
      name, start, end, status: 'done' as const, needs, onError: 'warn' as const, tasks: [{ name, start, end, status: 'done' as const, needs: [] }],
    });
    const t: BootTimeline = {
      format: 1, version: '1', initStart: 2, updated: 20, outcome: 'complete',
      stages: [span('early', 2, 3, []), span('user-docker', 3, 10, ['early']), span('cloud-init', 3, 6, ['early']), span('user-images', 10, 12, ['user-docker'])],
      milestones: [{ name: 'user-docker-ready', uptime: 10 }, { name: 'boot-complete', uptime: 12 }],
    };
    const lines = renderBootTime(t, { width: 80, tasks: false });
    const cells = (label: string) => [...bar(row(lines, label))].flatMap((c, i) => (c === '#' || c === '=' ? [i] : []));
    const [docker, cloud] = [cells('user-docker'), cells('cloud-init')];
    assert.equal(docker[0], cloud[0], 'both start when early ended');
    assert.ok((cloud.at(-1) ?? 0) < (docker.at(-1) ?? 0));
    assert.match(row(lines, 'user-docker') ?? '', /7\.00 s \* +#+/);
    assert.match(row(lines, 'cloud-init') ?? '', /3\.00 s {3}[ :]*=+/);
    assert.match(row(lines, 'user-images') ?? '', /\* +[ :]*#+/);
  });

  it('keeps a readable bar on a narrow terminal', () => {
    const lines = renderBootTime(fixture(), { width: 40, tasks: false });
    assert.ok((bar(row(lines, 'user-docker')).match(/#/g) ?? []).length >= 1);
  });
});

describe('readTimeline', () => {
  it('reads a saved timeline', () => {
    assert.equal(readTimeline(FIXTURE).stages.length, fixture().stages.length);
  });

  it('refuses a file that is not a timeline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ros-timeline-'));
    try {
      writeFileSync(join(dir, 'm.json'), '[{"name":"init-start","uptime":1}]');
      assert.throws(() => readTimeline(join(dir, 'm.json')), /not a ros boot timeline/);
      assert.throws(() => readTimeline(join(dir, 'missing.json')), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
