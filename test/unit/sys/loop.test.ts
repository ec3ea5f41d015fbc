import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLoop } from '../../../src/sys/loop';

describe('parseLoop', () => {
  it('reads an unlinked backing file, read-only, size in sectors', () => {
    assert.deepEqual(parseLoop('loop0', '/root-ab.sqsh (deleted)\n', '1\n', '2048\n'), {
      device: '/dev/loop0', backingFile: '/root-ab.sqsh', deleted: true, readOnly: true, sizeBytes: 1024 * 1024,
    });
  });

  it('keeps a path that exists as it is, writable', () => {
    const l = parseLoop('loop7', '/mnt/state/ros/root-image/root-ab.sqsh\n', '0\n', '8\n');
    assert.equal(l.backingFile, '/mnt/state/ros/root-image/root-ab.sqsh');
    assert.equal(l.deleted, false);
    assert.equal(l.readOnly, false);
    assert.equal(l.device, '/dev/loop7');
  });
});
