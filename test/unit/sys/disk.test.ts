import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountsOf, swapsOf } from '../../../src/sys/disk';

describe('sys/disk: mounts of a disk', () => {
  const text = ['/dev/vda1 /mnt/state ext4 rw 0 0', '/dev/vda1 /home ext4 rw 0 0', '/dev/vdb /data ext4 rw 0 0', '/dev/vda10 /x ext4 rw 0 0', 'tmpfs /run tmpfs rw 0 0'].join('\n');

  it('finds the disk and its partitions, nothing else', () => {
    assert.deepEqual(mountsOf(text, 'vda', ['vda1']), ['/mnt/state', '/home']);
    assert.deepEqual(mountsOf(text, 'vdb', []), ['/data']);
    assert.deepEqual(mountsOf(text, 'vdc', []), []);
  });

  it('finds swap on the disk', () => {
    const swaps = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/dev/vda2                               partition\t1048572\t\t0\t\t-2\n';
    assert.deepEqual(swapsOf(swaps, 'vda', ['vda1', 'vda2']), ['/dev/vda2']);
    assert.deepEqual(swapsOf(swaps, 'vdb', []), []);
  });
});
