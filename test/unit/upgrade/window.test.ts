import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inWindow, nextCheckDelay, nextWindow, parseDuration, parseWindow, type Window } from '../../../src/upgrade/window';

const w = (text: string): Window => {
  const r = parseWindow(text);
  assert.ok(!('error' in r), JSON.stringify(r));
  return r;
};
const at = (iso: string): Date => new Date(iso);
const next = (text: string, now: string): string[] => {
  const n = nextWindow(w(text), at(now));
  return [n.start.toISOString(), n.end.toISOString()];
};

describe('upgrade: maintenance windows', () => {
  it('parses a day, several days, daily and a bare range', () => {
    assert.deepEqual(w('Sun 02:00-04:00'), { days: [0], start: 120, length: 120 });
    assert.deepEqual(w('Sat,Sun 23:30-01:00'), { days: [0, 6], start: 1410, length: 90 });
    assert.deepEqual(w('daily 02:00-04:00'), { days: null, start: 120, length: 120 });
    assert.deepEqual(w('02:00-04:00'), { days: null, start: 120, length: 120 });
    // Equal ends: the whole day.
    assert.deepEqual(w('Mon 00:00-00:00'), { days: [1], start: 0, length: 1440 });
  });

  it('says what is wrong', () => {
    const err = (t: string): string => (parseWindow(t) as { error: string }).error;
    assert.match(err('Sunday 02:00-04:00'), /"Sunday" is not a day/);
    assert.match(err('Sun 2:00-4:00'), /not HH:MM-HH:MM/);
    assert.match(err('Sun 24:00-01:00'), /not HH:MM-HH:MM/);
    assert.match(err('Sun Mon 02:00-04:00'), /expected \[DAYS\]/);
    assert.match(err(''), /not HH:MM-HH:MM/);
  });

  it('finds the window containing now, else the next one (2026-12-03 is a Thursday)', () => {
    assert.deepEqual(next('Sun 02:00-04:00', '2026-12-03T10:00:00Z'), ['2026-12-06T02:00:00.000Z', '2026-12-06T04:00:00.000Z']);
    assert.deepEqual(next('Sun 02:00-04:00', '2026-12-06T03:00:00Z'), ['2026-12-06T02:00:00.000Z', '2026-12-06T04:00:00.000Z']);
    // The end is not in the window: the next is a week later.
    assert.deepEqual(next('Sun 02:00-04:00', '2026-12-06T04:00:00Z'), ['2026-12-13T02:00:00.000Z', '2026-12-13T04:00:00.000Z']);
    assert.deepEqual(next('daily 02:00-04:00', '2026-12-03T10:00:00Z'), ['2026-12-04T02:00:00.000Z', '2026-12-04T04:00:00.000Z']);
    assert.deepEqual(next('daily 02:00-04:00', '2026-12-03T01:59:59Z'), ['2026-12-03T02:00:00.000Z', '2026-12-03T04:00:00.000Z']);
  });

  it('keeps a window that crosses midnight open into the next day, on the day it starts', () => {
    // Wednesday's 23:00-01:00 is still open at 00:30 on Thursday.
    assert.deepEqual(next('Wed 23:00-01:00', '2026-12-03T00:30:00Z'), ['2026-12-02T23:00:00.000Z', '2026-12-03T01:00:00.000Z']);
    assert.equal(inWindow(w('Wed 23:00-01:00'), at('2026-12-03T00:30:00Z')), true);
    // Thursday's own does not exist: the next is next Wednesday.
    assert.equal(inWindow(w('Wed 23:00-01:00'), at('2026-12-03T23:30:00Z')), false);
    assert.deepEqual(next('Wed 23:00-01:00', '2026-12-03T23:30:00Z'), ['2026-12-09T23:00:00.000Z', '2026-12-10T01:00:00.000Z']);
  });

  it('tells inside from outside at the edges', () => {
    const win = w('Thu 10:00-10:05');
    assert.equal(inWindow(win, at('2026-12-03T09:59:59Z')), false);
    assert.equal(inWindow(win, at('2026-12-03T10:00:00Z')), true);
    assert.equal(inWindow(win, at('2026-12-03T10:04:59Z')), true);
    assert.equal(inWindow(win, at('2026-12-03T10:05:00Z')), false);
  });
});

describe('upgrade: check intervals', () => {
  it('parses durations', () => {
    assert.equal(parseDuration('1h'), 3600);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('45s'), 45);
    assert.equal(parseDuration('1d'), 86400);
    for (const bad of ['', '1', 'h', '1.5h', '-1h', '0s', '1w']) assert.equal(parseDuration(bad), null, bad);
  });

  it('adds at most a tenth (and at most 10 minutes) of jitter', () => {
    assert.equal(nextCheckDelay(3600, 0), 3_600_000);
    assert.equal(nextCheckDelay(3600, 0.999999), 3_960_000);
    assert.ok(nextCheckDelay(3600, 0.5) > 3_600_000 && nextCheckDelay(3600, 0.5) < 3_960_000);
    assert.equal(nextCheckDelay(86400, 1), (86400 + 600) * 1000);
    assert.equal(nextCheckDelay(20, 1), 22_000);
  });
});
