import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupHierarchies } from '../../../../src/init/stages/cgroups';

const PROC_CGROUPS = `#subsys_name	hierarchy	num_cgroups	enabled
cpuset	0	1	1
cpu	0	1	1
cpuacct	0	1	1
blkio	0	1	1
memory	0	1	0
devices	0	1	1
freezer	0	1	1
net_cls	0	1	1
perf_event	0	1	1
net_prio	0	1	1
hugetlb	0	1	1
pids	0	1	1
`;

describe('cgroupHierarchies', () => {
  it('groups cpu+cpuacct and net_cls+net_prio, one hierarchy for each other enabled controller', () => {
    assert.deepEqual(cgroupHierarchies(PROC_CGROUPS), [
      ['cpu', 'cpuacct'],
      ['net_cls', 'net_prio'],
      ['cpuset'],
      ['blkio'],
      ['devices'],
      ['freezer'],
      ['perf_event'],
      ['hugetlb'],
      ['pids'],
    ]);
  });

  it('drops controllers whose enabled column is 0', () => {
    const all = cgroupHierarchies(PROC_CGROUPS).flat();
    assert.equal(all.includes('memory'), false);
  });

  it('keeps the enabled half of a pair alone', () => {
    const text = 'cpu\t0\t1\t1\ncpuacct\t0\t1\t0\nnet_prio\t0\t1\t1\n';
    assert.deepEqual(cgroupHierarchies(text), [['cpu'], ['net_prio']]);
  });
});
