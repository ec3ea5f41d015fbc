import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { MILESTONE_FILE, formatMilestone, milestone, parseMilestoneLine } from '../../../src/init/milestones';

describe('formatMilestone', () => {
  it('prints the exact line with two decimals and key=value extras', () => {
    assert.equal(formatMilestone({ name: 'docker-ready', uptime: 3.14159 }), '[ros] milestone=docker-ready uptime=3.14');
    assert.equal(formatMilestone({ name: 'console', uptime: 7, tty: 'ttyS0', n: 2 }), '[ros] milestone=console uptime=7.00 tty=ttyS0 n=2');
  });
});

describe('parseMilestoneLine', () => {
  it('round-trips a formatted milestone', () => {
    const m = { name: 'boot-done', uptime: 12.5, tty: 'ttyS0', stage: 'services' };
    assert.deepEqual(parseMilestoneLine(formatMilestone(m)), m);
  });

  it('finds the line amid surrounding whitespace', () => {
    assert.deepEqual(parseMilestoneLine('  [ros] milestone=init uptime=0.42\r\n'), { name: 'init', uptime: 0.42 });
  });

  it('returns null for other lines', () => {
    assert.equal(parseMilestoneLine('[ros] stage storage (3/9): done in 412 ms'), null);
    assert.equal(parseMilestoneLine('milestone=init uptime=0.42'), null);
  });
});

describe('milestone', () => {
  // milestone() also appends to /run/ros/milestones.jsonl when it can; put
  // that file (and its directory) back the way they were.
  const dir = dirname(MILESTONE_FILE);
  const dirExisted = existsSync(dir);
  const sizeBefore = existsSync(MILESTONE_FILE) ? statSync(MILESTONE_FILE).size : null;
  after(() => {
    try {
      if (sizeBefore !== null) truncateSync(MILESTONE_FILE, sizeBefore);
      else rmSync(MILESTONE_FILE, { force: true });
      if (!dirExisted) rmdirSync(dir);
    } catch {
      /* could not write there in the first place */
    }
  });

  it('writes one exact console line through the given writer', () => {
    const lines: string[] = [];
    const m = milestone('test-point', { tty: 'tty1' }, (l) => lines.push(l));
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^\[ros\] milestone=test-point uptime=\d+\.\d{2} tty=tty1\n$/);
    assert.equal(m.name, 'test-point');
    assert.equal(m.tty, 'tty1');
    assert.deepEqual(parseMilestoneLine(lines[0] ?? ''), { ...m, uptime: Number(m.uptime.toFixed(2)) });
  });
});
