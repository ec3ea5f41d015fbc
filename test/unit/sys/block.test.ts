import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXT_MAGIC, LATE_DISK_CONTROLLERS, extLabel, fatLabel, identifyFs, isAllZero, isoLabel, lateDiskControllers } from '../../../src/sys/block';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HEAD = 36 * 1024;

function ext(label: string, size = 2048): Buffer {
  const b = Buffer.alloc(size);
  b.writeUInt16LE(EXT_MAGIC, 1024 + 0x38);
  b.write(label, 1024 + 0x78, 'utf8');
  return b;
}

function iso(volumeId: string, size = HEAD): Buffer {
  const b = Buffer.alloc(size);
  b[0x8000] = 1;
  b.write('CD001', 0x8001, 'latin1');
  b.write(volumeId.padEnd(32, ' '), 0x8000 + 40, 'latin1');
  return b;
}

function fat(kind: 'FAT32' | 'FAT16', label: string, size = 512): Buffer {
  const b = Buffer.alloc(size);
  const [sig, lab, type] = kind === 'FAT32' ? [0x42, 0x47, 0x52] : [0x26, 0x2b, 0x36];
  b[sig] = 0x29;
  b.write(label.padEnd(11, ' '), lab, 'latin1');
  b.write(kind.padEnd(8, ' '), type, 'latin1');
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

describe('extLabel', () => {
  it('reads the label of an ext superblock', () => {
    assert.equal(extLabel(ext('RANCHER_STATE')), 'RANCHER_STATE');
  });

  it('reads a full 16-byte label without a NUL', () => {
    assert.equal(extLabel(ext('ABCDEFGHIJKLMNOP')), 'ABCDEFGHIJKLMNOP');
  });

  it('gives "" for an ext filesystem without a label', () => {
    assert.equal(extLabel(ext('')), '');
  });

  it('gives null without the magic', () => {
    const b = ext('RANCHER_STATE');
    b.writeUInt16LE(0, 1024 + 0x38);
    assert.equal(extLabel(b), null);
    assert.equal(extLabel(Buffer.alloc(2048)), null);
  });

  it('gives null for a buffer too short to hold the label', () => {
    assert.equal(extLabel(ext('RANCHER_STATE').subarray(0, 1024 + 0x80)), null);
    assert.equal(extLabel(Buffer.alloc(0)), null);
  });
});

describe('isAllZero', () => {
  it('is true for zeros and for nothing', () => {
    assert.equal(isAllZero(Buffer.alloc(4096)), true);
    assert.equal(isAllZero(Buffer.alloc(0)), true);
  });

  it('is false when any byte is set, the last included', () => {
    const b = Buffer.alloc(4096);
    b[4095] = 1;
    assert.equal(isAllZero(b), false);
  });
});

describe('isoLabel', () => {
  it('reads the volume id without its space padding', () => {
    assert.equal(isoLabel(iso('config-2')), 'config-2');
    assert.equal(isoLabel(iso('CIDATA')), 'CIDATA');
  });

  it('gives null without the CD001 descriptor', () => {
    const b = iso('CIDATA');
    b.write('CD002', 0x8001, 'latin1');
    assert.equal(isoLabel(b), null);
    const c = iso('CIDATA');
    c[0x8000] = 2;
    assert.equal(isoLabel(c), null);
  });

  it('gives null for a buffer that ends before the volume id', () => {
    assert.equal(isoLabel(iso('CIDATA').subarray(0, 0x8000 + 60)), null);
  });
});

describe('fatLabel', () => {
  it('reads a FAT32 label', () => {
    assert.equal(fatLabel(fat('FAT32', 'CIDATA')), 'CIDATA');
  });

  it('reads a FAT16 label', () => {
    assert.equal(fatLabel(fat('FAT16', 'CONFIG-2')), 'CONFIG-2');
  });

  it('gives null without the 0x55AA boot signature', () => {
    const b = fat('FAT32', 'CIDATA');
    b[511] = 0;
    assert.equal(fatLabel(b), null);
  });

  it('gives null without the extended BPB signature or the FAT type', () => {
    const noSig = fat('FAT32', 'CIDATA');
    noSig[0x42] = 0;
    assert.equal(fatLabel(noSig), null);
    const noType = fat('FAT16', 'CIDATA');
    noType.write('NTFS    ', 0x36, 'latin1');
    assert.equal(fatLabel(noType), null);
  });

  it('gives null for a short buffer', () => {
    assert.equal(fatLabel(fat('FAT32', 'CIDATA').subarray(0, 511)), null);
  });
});

describe('identifyFs', () => {
  it('tells ext4 apart', () => {
    assert.deepEqual(identifyFs(ext('RANCHER_STATE', HEAD)), { fstype: 'ext4', label: 'RANCHER_STATE' });
  });

  it('tells iso9660 apart', () => {
    assert.deepEqual(identifyFs(iso('config-2')), { fstype: 'iso9660', label: 'config-2' });
  });

  it('tells vfat apart (FAT32 and FAT16)', () => {
    assert.deepEqual(identifyFs(fat('FAT32', 'CIDATA', HEAD)), { fstype: 'vfat', label: 'CIDATA' });
    assert.deepEqual(identifyFs(fat('FAT16', 'CIDATA', HEAD)), { fstype: 'vfat', label: 'CIDATA' });
  });

  it('reads an isohybrid image (ISO with a boot sector) as iso9660', () => {
    const b = iso('RancherOS');
    b[510] = 0x55;
    b[511] = 0xaa;
    assert.deepEqual(identifyFs(b), { fstype: 'iso9660', label: 'RancherOS' });
  });

  it('gives null for a blank disk', () => {
    assert.equal(identifyFs(Buffer.alloc(HEAD)), null);
  });
});

describe('lateDiskControllers', () => {
  it('names the controllers sysfs lists devices of, and none for a directory that is empty or absent', () => {
    const root = mkdtempSync(join(tmpdir(), 'late-disks-'));
    try {
      assert.deepEqual(lateDiskControllers(root), []);
      mkdirSync(join(root, 'sys/bus/usb/devices'), { recursive: true }); // usbcore without a controller
      mkdirSync(join(root, 'sys/class/nvme/nvme0'), { recursive: true });
      mkdirSync(join(root, 'sys/bus/vmbus/devices/f8b3781a'), { recursive: true });
      assert.deepEqual(lateDiskControllers(root), ['NVMe', 'Hyper-V']);
      assert.deepEqual(LATE_DISK_CONTROLLERS.map((c) => c.what), ['NVMe', 'USB', 'MMC/SD', 'Hyper-V', 'Xen']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
