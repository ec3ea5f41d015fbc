import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeContents, refusal, type DiskFacts } from '../../../src/install/checks';
import { abLayout, buildMbr } from '../../../src/install/mbr';
import { EXT_MAGIC } from '../../../src/sys/block';

const GiB = 1024 ** 3;

function facts(over: Partial<DiskFacts> & { bytes?: number; isPartition?: boolean; readOnly?: boolean } = {}): DiskFacts {
  return {
    device: '/dev/vda',
    info: { name: 'vda', bytes: over.bytes ?? 2 * GiB, readOnly: over.readOnly ?? false, isPartition: over.isPartition ?? false, partitions: [] },
    mounted: over.mounted ?? [],
    blank: over.blank ?? true,
    head: over.head ?? Buffer.alloc(1 << 20),
  };
}

describe('install: which disks it takes', () => {
  it('takes a blank whole disk', () => {
    assert.equal(refusal(facts(), false), null);
  });

  it('refuses a disk with data without -f, naming what is on it, and takes it with -f', () => {
    const head = Buffer.alloc(1 << 20);
    buildMbr(Buffer.alloc(0), abLayout(2 * GiB)).copy(head);
    const f = facts({ blank: false, head });
    assert.match(refusal(f, false) ?? '', /\/dev\/vda holds a partition table with 2 partitions; .* only does that with -f/);
    assert.equal(refusal(f, true), null);
  });

  it('refuses a mounted disk even with -f', () => {
    assert.match(refusal(facts({ mounted: ['/mnt/state'] }), true) ?? '', /in use \(mounted on \/mnt\/state\)/);
  });

  it('refuses partitions, read-only and too small disks', () => {
    assert.match(refusal(facts({ isPartition: true }), true) ?? '', /is a partition; name the whole disk/);
    assert.match(refusal(facts({ readOnly: true }), true) ?? '', /read-only/);
    assert.match(refusal(facts({ bytes: 512 * 1048576 }), true) ?? '', /is 512 MiB; ros needs at least 1024 MiB/);
  });

  it('says what a disk holds', () => {
    const ext = Buffer.alloc(36 * 1024);
    ext.writeUInt16LE(EXT_MAGIC, 1024 + 0x38);
    ext.write('data', 1024 + 0x78);
    assert.equal(describeContents(ext), 'an ext4 filesystem labelled data');
    const gpt = Buffer.alloc(1024);
    gpt.write('EFI PART', 512, 'latin1');
    assert.equal(describeContents(gpt), 'a GPT partition table');
    assert.equal(describeContents(Buffer.from('junk')), 'non-zero data in its first MiB');
  });
});
