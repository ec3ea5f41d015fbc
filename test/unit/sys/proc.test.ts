import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { childProcesses, parseChildren, parseStat } from '../../../src/sys/proc';

describe('parseStat', () => {
  it('reads pid, comm, state and ppid', () => {
    assert.deepEqual(parseStat('412 (dockerd) S 1 412 412 0 -1 4194560 9113 0 0 0\n'), { pid: 412, comm: 'dockerd', state: 'S', ppid: 1 });
  });

  it('splits at the last ) so comm may hold spaces and parentheses', () => {
    assert.deepEqual(parseStat('1234 (a) b) S 1 1234 1234 0'), { pid: 1234, comm: 'a) b', state: 'S', ppid: 1 });
    assert.deepEqual(parseStat('77 ((sd-pam)) S 76 76 76 0'), { pid: 77, comm: '(sd-pam)', state: 'S', ppid: 76 });
  });

  it('reads a zombie state', () => {
    assert.equal(parseStat('999 (sleep 1) Z 1 999 999 0')?.state, 'Z');
  });

  it('returns null for text that is not a stat line', () => {
    assert.equal(parseStat(''), null);
    assert.equal(parseStat('1 no parens S 1'), null);
    assert.equal(parseStat('x (y) S z'), null);
  });
});

describe('parseChildren', () => {
  it('reads the space-separated pids the kernel lists, trailing space and all', () => {
    assert.deepEqual(parseChildren('12 345 6 '), [12, 345, 6]);
    assert.deepEqual(parseChildren(''), []);
  });
});

describe('childProcesses', () => {
  it('lists a process this one spawned, with its status, and not this one itself', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      const kids = childProcesses(process.pid);
      assert.ok(kids.some((k) => k.pid === child.pid && k.ppid === process.pid), JSON.stringify(kids));
      assert.ok(!kids.some((k) => k.pid === process.pid));
    } finally {
      child.kill();
    }
  });
});
