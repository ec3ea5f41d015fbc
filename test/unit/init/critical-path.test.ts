import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BootTimeline, StageSpan, TaskSpan } from '../../../src/init/boot-timeline';
import { criticalPath } from '../../../src/init/critical-path';

const fixture = () => JSON.parse(readFileSync(join(__dirname, '..', 'cli', 'fixtures', 'boot-timeline.json'), 'utf8')) as BootTimeline;

const task = (name: string, start: number, end: number | null, needs: string[] = [], status: TaskSpan['status'] = 'done'): TaskSpan => ({ name, start, end, status, needs });
const stage = (name: string, needs: string[], tasks: TaskSpan[]): StageSpan => ({
  name, needs, tasks, onError: 'warn', status: 'done',
  start: Math.min(...tasks.map((t) => t.start)), end: Math.max(...tasks.map((t) => t.end ?? 0)),
});
const timeline = (stages: StageSpan[], milestones: BootTimeline['milestones'] = [], updated = 100): BootTimeline =>
  ({ format: 1, version: '0', initStart: 1, updated, outcome: 'complete', stages, milestones });

describe('criticalPath', () => {
  it('is the longest task of each stage while stages run in a line', () => {
    const path = criticalPath(fixture());
    assert.equal(path.length, fixture().stages.length);
    assert.ok(path.includes('kernel/load-modules'));
    assert.ok(path.includes('host/load-config-modules'));
    assert.ok(!path.includes('kernel/quiet-console'));
    assert.equal(path.at(-1), 'cloud-init/per-instance');
  });

  it('follows declared needs through a graph, not the order of stages', () => {
    // system-docker needs only storage; the network is slower but nothing waits for it.
    const t = timeline([
      stage('storage', [], [task('state', 1, 3)]),
      stage('network', [], [task('dhcp', 1, 9)]),
      stage('docker', [], [task('system-docker', 3, 5, ['storage/state']), task('user-docker', 5, 8, ['docker/system-docker'])]),
    ], [{ name: 'boot-complete', uptime: 8 }]);
    assert.deepEqual(criticalPath(t), ['storage/state', 'docker/system-docker', 'docker/user-docker']);
  });

  it('goes through a hook to the task of its stage that ended last', () => {
    const t = timeline([
      stage('storage', [], [task('state-disk', 1, 3), task('quick', 1, 2), task('slot-boot', 3, 3.1, ['storage/state-disk', 'storage/quick'])]),
      stage('config', ['storage'], [task('load', 3.1, 4)]),
    ], [{ name: 'boot-complete', uptime: 4 }]);
    assert.deepEqual(criticalPath(t), ['storage/state-disk', 'storage/slot-boot', 'config/load']);
  });

  it('passes through a stage whose tasks were all skipped', () => {
    const t = timeline([
      stage('a', [], [task('one', 1, 2), task('two', 1, 4)]),
      stage('b', ['a'], [task('skip', 4, 4, [], 'skipped')]),
      stage('c', ['b'], [task('last', 4, 6)]),
    ]);
    assert.deepEqual(criticalPath(t), ['a/two', 'c/last']);
  });

  it('ends at what still runs when the boot is not complete', () => {
    const t = timeline([stage('a', [], [task('one', 1, 2)]), stage('b', ['a'], [task('slow', 2, null, [], 'running'), task('quick', 2, 3)])], [], 7);
    assert.deepEqual(criticalPath(t), ['a/one', 'b/slow']);
  });

  it('ignores work that ended after boot-complete', () => {
    const t = timeline([stage('a', [], [task('one', 1, 2)]), stage('b', ['a'], [task('main', 2, 4), task('preload', 2, 20, ['a'])])], [{ name: 'boot-complete', uptime: 4 }]);
    assert.deepEqual(criticalPath(t), ['a/one', 'b/main']);
  });
});
