import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { BootContext } from '../../../src/init/context';
import { runStages } from '../../../src/init/run-stages';
import type { Stage, Task } from '../../../src/init/stage';

const ctxOf = (fatal?: string) => ({ log: pino({ level: 'silent' }), ...(fatal ? { fatal } : {}) }) as unknown as BootContext;

/** A task that records its start and end, and ends when `gate` resolves. */
function recorder() {
  const events: string[] = [];
  const task = (name: string, gate: Promise<void> = Promise.resolve(), fail?: string): Task => ({
    name,
    async run() {
      events.push(`${name}+`);
      await gate;
      events.push(`${name}-`);
      if (fail) throw new Error(fail);
    },
  });
  return { events, task };
}

function deferred() {
  let open = () => {};
  const gate = new Promise<void>((r) => { open = r; });
  return { gate, open };
}

const stage = (name: string, needs: string[], tasks: Task[], more: Partial<Stage> = {}): Stage => ({ name, needs, tasks, onError: 'warn', ...more });

describe('runStages', () => {
  it('starts every stage whose needs ended at once, and a stage only when all its needs ended', async () => {
    const { events, task } = recorder();
    const net = deferred();
    const done = runStages([
      stage('early', [], [task('early')]),
      stage('network', ['early'], [task('network', net.gate)]),
      stage('storage', ['early'], [task('storage')]),
      stage('docker', ['storage', 'network'], [task('docker')]),
    ], ctxOf());
    // storage runs and ends while network still waits; docker waits for both.
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(events, ['early+', 'early-', 'network+', 'storage+', 'storage-']);
    net.open();
    const run = await done;
    assert.deepEqual(events.slice(5), ['network-', 'docker+', 'docker-']);
    assert.equal(run.stopped, undefined);
    assert.deepEqual(run.results.map((r) => r.stage), ['early', 'storage', 'network', 'docker']);
  });

  it('runs hooks in order after the tasks and before any stage that needs it', async () => {
    const { events, task } = recorder();
    await runStages([stage('a', [], [task('x'), task('y')], { after: [task('h1'), task('h2')] }), stage('b', ['a'], [task('z')])], ctxOf());
    assert.deepEqual(events, ['x+', 'y+', 'x-', 'y-', 'h1+', 'h1-', 'h2+', 'h2-', 'z+', 'z-']);
  });

  it('goes on after a warn failure; a failed hook fails nothing', async () => {
    const { events, task } = recorder();
    const run = await runStages([stage('a', [], [task('x', undefined, 'boom')]), stage('b', ['a'], [task('y')], { after: [task('h', undefined, 'hook')] }), stage('c', ['b'], [task('z')])], ctxOf());
    assert.deepEqual(run.results.map((r) => [r.stage, r.ok]), [['a', false], ['b', true], ['c', true]]);
    assert.ok(events.includes('z-'));
  });

  it('starts nothing more after a fatal failure, and says why in ctx.fatal', async () => {
    const { events, task } = recorder();
    const ctx = ctxOf();
    const run = await runStages([stage('a', [], [task('x', undefined, 'no disk')], { onError: 'fatal' }), stage('b', ['a'], [task('y')])], ctx);
    assert.equal(ctx.fatal, 'stage a: x: no disk');
    assert.equal(run.stopped, 'stage a: x: no disk');
    assert.ok(!events.includes('y+'));
  });

  it('stops when a task or hook sets ctx.fatal, without the milestone', async () => {
    const milestones: string[] = [];
    const judge: Task = { name: 'judge', run: (c) => { c.fatal = 'rancher.recovery=true'; } };
    const run = await runStages([stage('a', [], [{ name: 'x', run: () => {} }], { after: [judge], milestone: 'm' }), stage('b', ['a'], [{ name: 'y', run: () => {} }])], ctxOf(), { milestone: (m) => milestones.push(m) });
    assert.equal(run.stopped, 'rancher.recovery=true');
    assert.deepEqual(run.results.map((r) => r.stage), ['a']);
    assert.deepEqual(milestones, []);
  });

  it('is not stopped by a fatal judgement made before it ran (a shutdown from the recovery shell)', async () => {
    const run = await runStages([stage('a', [], [{ name: 'x', run: () => {} }]), stage('b', ['a'], [{ name: 'y', run: () => {} }])], ctxOf('stage storage: no disk'));
    assert.deepEqual(run.results.map((r) => [r.stage, r.ok]), [['a', true], ['b', true]]);
  });

  it('counts a task that outlives its time limit as failed, under its policy', async () => {
    const ctx = ctxOf();
    const never = new Promise<void>(() => {});
    const run = await runStages([stage('a', [], [{ name: 'hang', run: () => never }], { onError: 'fatal', timeoutMs: 5 })], ctx);
    assert.equal(run.results[0]?.ok, false);
    assert.match(ctx.fatal ?? '', /^stage a: hang: timed out after 0.005 s$/);
  });

  it('prints the milestone of a stage that succeeded, and tells of every stage end', async () => {
    const milestones: string[] = [];
    const ended: string[] = [];
    await runStages([
      stage('a', [], [{ name: 'x', run: () => {} }], { milestone: 'a-ready' }),
      stage('b', ['a'], [{ name: 'y', run: () => { throw new Error('no'); } }], { milestone: 'b-ready' }),
    ], ctxOf(), { milestone: (m) => milestones.push(m), stageEnd: (s) => ended.push(s.name) });
    assert.deepEqual(milestones, ['a-ready']);
    assert.deepEqual(ended, ['a', 'b']);
  });

  it('counts a skipped task as done', async () => {
    const { events, task } = recorder();
    const run = await runStages([stage('a', [], [{ name: 'off', run: () => { throw new Error('ran'); }, when: () => false }]), stage('b', ['a'], [task('y')])], ctxOf());
    assert.deepEqual(run.results.map((r) => r.ok), [true, true]);
    assert.deepEqual(events, ['y+', 'y-']);
  });

  it('starts nothing once stopped (a shutdown began)', async () => {
    const { events, task } = recorder();
    let stopping = false;
    const run = await runStages([stage('a', [], [{ name: 'x', run: () => { stopping = true; } }]), stage('b', ['a'], [task('y')])], ctxOf(), { stopped: () => (stopping ? 'shutdown' : null) });
    assert.equal(run.stopped, 'shutdown');
    assert.deepEqual(events, []);
  });

  it('reports stages a bad list never makes ready', async () => {
    const run = await runStages([stage('a', ['nope'], [])], ctxOf());
    assert.equal(run.stopped, 'stages never ready: a');
  });
});
