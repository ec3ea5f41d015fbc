import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { BootTimelineRecorder, type BootTimeline } from '../../../src/init/boot-timeline';
import type { BootContext } from '../../../src/init/context';
import { runStage, type Stage } from '../../../src/init/stage';

function setup() {
  let now = 0.5; // monotonic seconds since the process started
  const writes: { file: string; t: BootTimeline }[] = [];
  const rec = new BootTimelineRecorder({ version: '1.2.3', clock: () => now, coalesceMs: 0, write: (file, text) => writes.push({ file, t: JSON.parse(text) as BootTimeline }) });
  return { rec, writes, tick: (s: number) => { now += s; }, last: () => writes.at(-1)?.t };
}

const stageOf = (name: string, tasks: string[], needs: string[] = []): Stage => ({ name, needs, onError: 'warn', tasks: tasks.map((n) => ({ name: n, run: () => {} })) });

describe('BootTimelineRecorder', () => {
  it('writes nothing until anchored to uptime, then every step in uptime seconds', () => {
    const { rec, writes, tick, last } = setup();
    const early = stageOf('early', ['mount-pseudo-fs']);
    rec.stageStart(early);
    rec.taskStart(early, early.tasks[0]!);
    tick(0.25);
    rec.taskEnd(early, early.tasks[0]!, 'done');
    rec.stageEnd(early, true);
    assert.equal(writes.length, 0);
    rec.anchor(10.75); // /proc/uptime reads 10.75 at monotonic 0.75: the process started at uptime 10
    assert.equal(writes.length, 1);
    assert.equal(writes[0]?.file, '/run/ros/boot-timeline.json');
    const t = last();
    assert.equal(t?.initStart, 10);
    assert.deepEqual(t?.stages.map((s) => [s.name, s.start, s.end, s.status]), [['early', 10.5, 10.75, 'done']]);
    assert.deepEqual(t?.stages[0]?.tasks, [{ name: 'mount-pseudo-fs', start: 10.5, end: 10.75, status: 'done', needs: [] }]);
    assert.equal(t?.outcome, 'booting');
  });

  it('records what each stage needs, skipped and failed tasks, milestones and the outcome', () => {
    const { rec, tick, last } = setup();
    rec.anchor(5.5);
    const a = stageOf('a', ['x']);
    const b = stageOf('b', ['y', 'z'], ['a']);
    rec.stageStart(a); rec.taskStart(a, a.tasks[0]!); tick(1); rec.taskEnd(a, a.tasks[0]!, 'done'); rec.stageEnd(a, true);
    rec.milestone({ name: 'init-start', uptime: 6.5 });
    rec.stageStart(b); rec.taskEnd(b, b.tasks[0]!, 'skipped'); rec.taskStart(b, b.tasks[1]!);
    assert.deepEqual(last()?.stages[1]?.tasks.map((k) => [k.name, k.status, k.end]), [['y', 'skipped', 6.5], ['z', 'running', null]]);
    tick(2); rec.taskEnd(b, b.tasks[1]!, 'failed'); rec.stageEnd(b, false);
    rec.finish('stopped', 'stage b: z: boom');
    const t = last();
    assert.deepEqual(t?.stages.map((s) => s.needs), [[], ['a']]);
    assert.deepEqual(t?.stages.map((s) => s.status), ['done', 'failed']);
    assert.deepEqual(t?.milestones, [{ name: 'init-start', uptime: 6.5 }]);
    assert.equal(t?.outcome, 'stopped');
    assert.equal(t?.reason, 'stage b: z: boom');
    assert.equal(t?.updated, 8.5);
  });

  it('warns once when the file cannot be written, and the boot goes on', () => {
    const warnings: string[] = [];
    const rec = new BootTimelineRecorder({ version: '1', clock: () => 1, coalesceMs: 0, write: () => { throw new Error('EROFS'); }, warn: (m) => warnings.push(m) });
    rec.anchor(2);
    rec.milestone({ name: 'init-start', uptime: 2 });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /EROFS/);
  });

  it('writes steps that come close together once, and the end of the boot at once', async () => {
    const writes: BootTimeline[] = [];
    const rec = new BootTimelineRecorder({ version: '1', clock: () => 1, coalesceMs: 20, write: (_f, text) => writes.push(JSON.parse(text) as BootTimeline) });
    rec.anchor(2);
    rec.milestone({ name: 'init-start', uptime: 2 });
    rec.milestone({ name: 'system-docker-ready', uptime: 3 });
    assert.equal(writes.length, 0);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(writes.map((w) => w.milestones.length), [2]);
    rec.milestone({ name: 'boot-complete', uptime: 4 });
    rec.finish('complete');
    assert.deepEqual(writes.map((w) => w.outcome), ['booting', 'complete']);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(writes.length, 2, 'the write finish() made is not made again');
  });

  it('is told every step by the stage runner', async () => {
    const { rec, last } = setup();
    rec.anchor(1);
    const log = pino({ level: 'silent' });
    const ctx = { log } as unknown as BootContext;
    const stage: Stage = {
      name: 'host', needs: ['datasource'], onError: 'warn', after: [{ name: 'hook', run: () => {} }], tasks: [
        { name: 'ok', run: () => {} },
        { name: 'off', run: () => {}, when: () => false },
        { name: 'bad', run: () => Promise.reject(new Error('no')) },
      ],
    };
    await runStage(stage, 0, 1, ctx, rec);
    const s = last()?.stages[0];
    assert.equal(s?.status, 'failed');
    assert.deepEqual(s?.needs, ['datasource']);
    assert.deepEqual(s?.tasks.map((k) => [k.name, k.status]).sort(), [['bad', 'failed'], ['hook', 'done'], ['off', 'skipped'], ['ok', 'done']]);
    assert.ok(s?.tasks.every((k) => k.end !== null));
    // A hook waits for the stage's tasks; a task for what the stage needs.
    assert.deepEqual(s?.tasks.find((k) => k.name === 'hook')?.needs, ['host/ok', 'host/off', 'host/bad']);
    assert.deepEqual(s?.tasks.find((k) => k.name === 'ok')?.needs, []);
  });

  it('is anchored once, by the first milestone', () => {
    const { rec, last } = setup();
    rec.anchorOnce(3.5);
    rec.anchorOnce(99);
    assert.equal(last()?.initStart, 3);
  });
});
