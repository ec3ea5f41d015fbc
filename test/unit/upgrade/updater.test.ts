import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStatus, rebootDecision, transition, updaterPlan, versionsToSkip, type UpdaterPlan } from '../../../src/upgrade/updater';
import type { UpgradeRecord } from '../../../src/upgrade/record';

const plan = (window?: string, interval?: string): UpdaterPlan => {
  const p = updaterPlan({ auto: true, url: 'http://x/channel.json', window, interval });
  assert.ok(p && !('error' in p), JSON.stringify(p));
  return p;
};

describe('upgrade: the automatic updater', () => {
  it('is off unless auto is true, and says what is missing', () => {
    assert.equal(updaterPlan(undefined), null);
    assert.equal(updaterPlan({ url: 'http://x' }), null);
    assert.equal(updaterPlan({ auto: false, url: 'http://x' }), null);
    assert.match((updaterPlan({ auto: true }) as { error: string }).error, /rancher\.upgrade\.url names no channel index/);
    assert.match((updaterPlan({ auto: true, url: 'u', interval: 'often' }) as { error: string }).error, /interval "often" is not a duration/);
    assert.match((updaterPlan({ auto: true, url: 'u', window: 'Sunday 1-2' }) as { error: string }).error, /^rancher\.upgrade\.window/);
    assert.deepEqual(plan(), { intervalS: 3600, window: null, windowText: null });
    assert.equal(plan(undefined, '30s').intervalS, 30);
  });

  it('reboots at once without a window, inside one, and waits for the next otherwise', () => {
    assert.equal(rebootDecision(plan(), new Date('2026-12-03T10:00:00Z')).reboot, true);
    const inside = rebootDecision(plan('Thu 09:00-11:00'), new Date('2026-12-03T10:00:00Z'));
    assert.deepEqual([inside.reboot, inside.why], [true, 'inside the window Thu 09:00-11:00 (until 2026-12-03T11:00:00.000Z)']);
    const before = rebootDecision(plan('daily 10:02-10:30'), new Date('2026-12-03T10:00:00Z'));
    assert.equal(before.reboot, false);
    assert.equal(!before.reboot && before.at.toISOString(), '2026-12-03T10:02:00.000Z');
    // A window already past today waits for tomorrow's: the node stages and does not reboot.
    const past = rebootDecision(plan('daily 08:00-09:00'), new Date('2026-12-03T10:00:00Z'));
    assert.equal(!past.reboot && past.at.toISOString(), '2026-12-04T08:00:00.000Z');
  });

  it('does not stage again a version whose trial failed here', () => {
    const r = (outcome: UpgradeRecord['outcome']): UpgradeRecord => ({ from: '0.1.0', to: '0.2.0', slot: 'b', outcome, at: '' });
    assert.deepEqual(versionsToSkip(r('failed')), ['0.2.0']);
    for (const o of ['armed', 'trial', 'succeeded', 'rolled-back'] as const) assert.deepEqual(versionsToSkip(r(o)), [], o);
    assert.deepEqual(versionsToSkip(null), []);
  });

  it('keeps what it last did and what is staged across transitions', () => {
    const t0 = new Date('2026-12-03T10:00:00Z');
    let s = transition(null, 'checking', 'checking the channel', t0);
    s = transition(s, 'staged', 'v0.2.0 staged in slot b', t0, { staged: '0.2.0', last: { at: t0.toISOString(), what: 'staged v0.2.0 in slot b' } });
    s = transition(s, 'waiting-for-window', 'v0.2.0 staged; waiting', t0);
    assert.equal(s.staged, '0.2.0');
    assert.equal(s.last?.what, 'staged v0.2.0 in slot b');
    s = transition(s, 'idle', 'updated to v0.2.0', t0);
    assert.equal(s.staged, undefined);
    assert.equal(s.last?.what, 'staged v0.2.0 in slot b');
  });

  it('shows its status in plain words', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    assert.match(describeStatus(null, now)[0]?.[1] ?? '', /has not run on this node/);
    const rows = describeStatus({ state: 'waiting-for-window', detail: 'v0.2.0 staged; waiting for the window', since: '2026-12-03T09:59:00.000Z', staged: '0.2.0', last: { at: '2026-12-03T09:59:00.000Z', what: 'staged v0.2.0 in slot b' } }, now);
    assert.deepEqual(rows.map((r) => r[0]), ['updater', 'staged', 'last']);
    assert.match(rows[0]?.[1] ?? '', /^waiting-for-window: v0\.2\.0 staged; waiting for the window \(since .*, 60 s ago\)$/);
  });
});
