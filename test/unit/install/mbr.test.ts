import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ESP, LINUX, PART_START_SECTOR, abLayout, buildMbr, readMbr } from '../../../src/install/mbr';

describe('install: the MBR', () => {
  it('puts a 64 MiB ESP at 1 MiB and the state partition after it, to the end', () => {
    const [esp, state] = abLayout(2 * 1024 ** 3);
    assert.deepEqual(esp, { startSector: 2048, sectors: 131072, type: ESP, active: false });
    assert.deepEqual(state, { startSector: 2048 + 131072, sectors: 4194304 - 2048 - 131072, type: LINUX, active: true });
  });

  it('caps a partition at what 32-bit sector counts can say (2 TiB)', () => {
    assert.equal(abLayout(4 * 1024 ** 4)[1].sectors, 0xffffffff);
  });

  it('refuses a disk with no room for the state partition', () => {
    assert.throws(() => abLayout(65 << 20), /no room for the state partition/);
  });

  it('keeps the boot code and writes both partitions and the signature', () => {
    const code = Buffer.alloc(440, 0xcc);
    const mbr = buildMbr(code, abLayout(1024 ** 3));
    assert.equal(mbr.length, 512);
    assert.ok(mbr.subarray(0, 440).equals(code));
    assert.deepEqual(readMbr(mbr), [
      { type: 0xef, active: false, startSector: PART_START_SECTOR, sectors: 131072 },
      { type: 0x83, active: true, startSector: PART_START_SECTOR + 131072, sectors: 2097152 - 2048 - 131072 },
    ]);
    assert.deepEqual([mbr[510], mbr[511]], [0x55, 0xaa]);
  });

  it('refuses boot code that would overwrite the partition table', () => {
    assert.throws(() => buildMbr(Buffer.alloc(441), abLayout(1024 ** 3)), /at most 440/);
  });

  it('reads no partitions from a sector without the signature', () => {
    assert.deepEqual(readMbr(Buffer.alloc(512)), []);
  });
});
