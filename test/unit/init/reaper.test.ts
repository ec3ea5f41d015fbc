import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pidsToReap } from '../../../src/init/reaper';
import type { ProcStat } from '../../../src/sys/proc';

const proc = (pid: number, state: string, ppid: number): ProcStat => ({ pid, comm: `p${pid}`, state, ppid });

describe('pidsToReap', () => {
  const procs = [proc(10, 'Z', 1), proc(11, 'S', 1), proc(12, 'Z', 5), proc(13, 'Z', 1), proc(14, 'R', 1)];

  it('takes only zombies whose parent is self', () => {
    assert.deepEqual(pidsToReap(procs, new Set()), [10, 13]);
  });

  it('skips pids that Node spawned itself', () => {
    assert.deepEqual(pidsToReap(procs, new Set([13])), [10]);
  });

  it('uses the given self pid instead of 1', () => {
    assert.deepEqual(pidsToReap(procs, new Set(), 5), [12]);
  });
});
