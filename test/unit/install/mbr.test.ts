import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PART_START_SECTOR, buildMbr, readMbr, wholeDiskPartition } from '../../../src/install/mbr';

describe('install: the MBR', () => {
  it('fills the disk after the first MiB with one partition', () => {
    assert.deepEqual(wholeDiskPartition(2 * 1024 ** 3), { startSector: 2048, sectors: 4194304 - 2048 });
  });

  it('caps a partition at what 32-bit sector counts can say (2 TiB)', () => {
    assert.equal(wholeDiskPartition(4 * 1024 ** 4).sectors, 0xffffffff);
  });

  it('refuses a disk with no room after the first MiB', () => {
    assert.throws(() => wholeDiskPartition(1 << 20), /no room for a partition/);
  });

  it('keeps the boot code and writes one active Linux partition and the signature', () => {
    const code = Buffer.alloc(440, 0xcc);
    const mbr = buildMbr(code, wholeDiskPartition(1024 ** 3));
    assert.equal(mbr.length, 512);
    assert.ok(mbr.subarray(0, 440).equals(code));
    assert.deepEqual(readMbr(mbr), [{ type: 0x83, active: true, startSector: PART_START_SECTOR, sectors: 2097152 - 2048 }]);
    assert.deepEqual([mbr[510], mbr[511]], [0x55, 0xaa]);
  });

  it('refuses boot code that would overwrite the partition table', () => {
    assert.throws(() => buildMbr(Buffer.alloc(441), wholeDiskPartition(1024 ** 3)), /at most 440/);
  });

  it('reads no partitions from a sector without the signature', () => {
    assert.deepEqual(readMbr(Buffer.alloc(512)), []);
  });
});
