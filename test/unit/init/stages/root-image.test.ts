import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ramRootImage } from '../../../../src/init/stages/root-image';
import type { LoopDevice } from '../../../../src/sys/loop';

const HASH = 'a'.repeat(64);
const loop = (backingFile: string, deleted: boolean): LoopDevice => ({ device: '/dev/loop0', backingFile, deleted, readOnly: true, sizeBytes: 4096 });

describe('ramRootImage', () => {
  it('finds the loop reading the initrd image that switch_root unlinked', () => {
    const l = loop(`/root-${HASH}.sqsh`, true);
    assert.equal(ramRootImage([loop('/other.img', true), l]), l);
  });

  it('ignores a loop already on the state disk, and files that are not the root image', () => {
    assert.equal(ramRootImage([loop(`/mnt/state/ros/root-image/root-${HASH}.sqsh`, false)]), null);
    assert.equal(ramRootImage([loop(`/root-${HASH}.sqsh`, false)]), null); // not unlinked: not the initramfs'
    assert.equal(ramRootImage([loop('/root.sqsh', true), loop(`/root-${HASH.slice(1)}.sqsh`, true)]), null);
    assert.equal(ramRootImage([]), null);
  });
});
