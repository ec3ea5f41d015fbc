import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountsOf } from '../../../src/sys/disk';

describe('sys/disk: mounts of a disk', () => {
  const text = ['/dev/vda1 /mnt/state ext4 rw 0 0', '/dev/vda1 /home ext4 rw 0 0', '/dev/vdb /data ext4 rw 0 0', '/dev/vda10 /x ext4 rw 0 0', 'tmpfs /run tmpfs rw 0 0'].join('\n');

  it('finds the disk and its partitions, nothing else', () => {
    assert.deepEqual(mountsOf(text, 'vda', ['vda1']), ['/mnt/state', '/home']);
    assert.deepEqual(mountsOf(text, 'vdb', []), ['/data']);
    assert.deepEqual(mountsOf(text, 'vdc', []), []);
  });
});
