import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { delegation } from '../../../../src/init/stages/cgroups';

describe('delegation', () => {
  it('enables every controller the root offers, one word each', () => {
    assert.deepEqual(delegation('cpuset cpu io memory hugetlb pids rdma misc\n'), [
      '+cpuset', '+cpu', '+io', '+memory', '+hugetlb', '+pids', '+rdma', '+misc',
    ]);
  });

  it('writes nothing when the kernel offers no controller', () => {
    assert.deepEqual(delegation('\n'), []);
  });
});
