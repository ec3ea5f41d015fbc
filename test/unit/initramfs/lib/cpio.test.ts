import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, cpioHeader, readCpio, treeEntries, writeCpio, type CpioEntry } from '../../../../initramfs/lib/cpio';

// newc header: magic + 13 eight-digit hex fields, in this order.
const FIELDS = ['ino', 'mode', 'uid', 'gid', 'nlink', 'mtime', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor', 'namesize', 'check'] as const;
type Header = Record<(typeof FIELDS)[number], number> & { name: string; data: Buffer; offset: number };

function parseHeader(buf: Buffer, offset: number): Omit<Header, 'data'> & { end: number } {
  assert.equal(buf.toString('latin1', offset, offset + 6), '070701', `magic at ${offset}`);
  const h: Record<string, number> = {};
  FIELDS.forEach((f, i) => {
    const hex = buf.toString('latin1', offset + 6 + i * 8, offset + 14 + i * 8);
    assert.match(hex, /^[0-9a-f]{8}$/, `${f} at ${offset}`);
    h[f] = parseInt(hex, 16);
  });
  const namesize = h.namesize ?? 0;
  const nameEnd = offset + 110 + namesize;
  assert.equal(buf[nameEnd - 1], 0, 'name is NUL-terminated');
  const name = buf.toString('utf8', offset + 110, nameEnd - 1);
  return { ...(h as Record<(typeof FIELDS)[number], number>), name, offset, end: nameEnd + ((4 - (nameEnd % 4)) % 4) };
}

/** Walks a whole archive, checking 4-byte alignment; stops after the trailer. */
function parseArchive(buf: Buffer): Header[] {
  const out: Header[] = [];
  let offset = 0;
  for (;;) {
    assert.equal(offset % 4, 0, `entry at ${offset} is 4-aligned`);
    const h = parseHeader(buf, offset);
    const data = buf.subarray(h.end, h.end + h.filesize);
    out.push({ ...h, data });
    offset = h.end + h.filesize + ((4 - (h.filesize % 4)) % 4);
    if (h.name === 'TRAILER!!!') break;
  }
  assert.equal(offset, buf.length, 'nothing after the trailer');
  return out;
}

function archive(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  writeCpio(entries, (b) => parts.push(b));
  return Buffer.concat(parts);
}

describe('cpioHeader', () => {
  it('is 110 bytes plus the NUL-terminated name, padded to 4', () => {
    // "dev/console\0" = 12 bytes: 122 -> 124
    const h = cpioHeader({ name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 }, 7);
    assert.equal(h.length, 124);
    assert.equal(h.subarray(0, 6).toString(), '070701');
    // "a\0" = 2 bytes: 112 -> 112
    assert.equal(cpioHeader({ name: 'a', mode: S_IFREG | 0o644 }, 1).length, 112);
    // "abc\0" = 4 bytes: 114 -> 116
    assert.equal(cpioHeader({ name: 'abc', mode: S_IFREG | 0o644 }, 1).length, 116);
  });

  it('writes the inode, mode, device numbers and name size as 8-digit hex', () => {
    const h = parseHeader(cpioHeader({ name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 }, 7), 0);
    assert.equal(h.ino, 7);
    assert.equal(h.mode, S_IFCHR | 0o600);
    assert.equal(h.rdevmajor, 5);
    assert.equal(h.rdevminor, 1);
    assert.equal(h.namesize, 12);
    assert.equal(h.name, 'dev/console');
    assert.deepEqual([h.uid, h.gid, h.mtime, h.filesize, h.devmajor, h.devminor, h.check], [0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives directories two links and files one', () => {
    assert.equal(parseHeader(cpioHeader({ name: 'etc', mode: S_IFDIR | 0o755 }, 1), 0).nlink, 2);
    assert.equal(parseHeader(cpioHeader({ name: 'etc/x', mode: S_IFREG | 0o644, data: Buffer.from('hi') }, 2), 0).nlink, 1);
  });
});

describe('writeCpio', () => {
  it('pads data to 4 bytes and ends with TRAILER!!!', () => {
    const buf = archive([
      { name: 'etc', mode: S_IFDIR | 0o755 },
      { name: 'etc/hostname', mode: S_IFREG | 0o644, data: Buffer.from('ros\n\n') },
      { name: 'bin/sh', mode: S_IFLNK | 0o777, data: Buffer.from('busybox') },
      { name: 'dev/null', mode: S_IFCHR | 0o666, rdevMajor: 1, rdevMinor: 3 },
    ]);
    const entries = parseArchive(buf);
    assert.deepEqual(entries.map((e) => [e.name, e.ino, e.filesize]), [
      ['etc', 1, 0],
      ['etc/hostname', 2, 5],
      ['bin/sh', 3, 7],
      ['dev/null', 4, 0],
      ['TRAILER!!!', 0, 0],
    ]);
    assert.equal(entries[1]?.data.toString(), 'ros\n\n');
    assert.equal(entries[2]?.data.toString(), 'busybox');
    assert.deepEqual([entries[3]?.rdevmajor, entries[3]?.rdevminor], [1, 3]);
    assert.equal(entries[4]?.mode, 0);
  });

  it('writes only the trailer for no entries', () => {
    assert.deepEqual(parseArchive(archive([])).map((e) => e.name), ['TRAILER!!!']);
  });
});

describe('an archive of a staging tree', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'ros-cpio-'));
    mkdirSync(join(root, 'etc'));
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(root, 'usr/bin/tool'), '#!/bin/sh\n');
    chmodSync(join(root, 'usr/bin/tool'), 0o755);
    writeFileSync(join(root, 'empty'), '');
    symlinkSync('usr/bin', join(root, 'bin'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const entries = (): CpioEntry[] => [...treeEntries(root), { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 }];
  const NAMES = ['bin', 'empty', 'etc', 'etc/passwd', 'usr', 'usr/bin', 'usr/bin/tool', 'dev/console'];

  it('has every file, parents first, with modes and contents', () => {
    const parsed = parseArchive(archive(entries()));
    assert.deepEqual(parsed.map((e) => e.name), [...NAMES, 'TRAILER!!!']);
    const byName = new Map(parsed.map((e) => [e.name, e]));
    assert.equal(byName.get('bin')?.mode, S_IFLNK | 0o777);
    assert.equal(byName.get('bin')?.data.toString(), 'usr/bin');
    assert.equal(byName.get('usr/bin/tool')?.mode, S_IFREG | 0o755);
    assert.equal(byName.get('etc/passwd')?.data.toString(), 'root:x:0:0:root:/root:/bin/sh\n');
    assert.equal((byName.get('usr')?.mode ?? 0) & 0o170000, S_IFDIR);
    assert.equal((byName.get('empty')?.filesize), 0);
  });

  it('is listed by cpio -it when the cpio binary exists', () => {
    const buf = archive(entries());
    const list = spawnSync('cpio', ['-it', '--quiet'], { input: buf, encoding: 'utf8' });
    // Without a cpio binary, the structural test above is the check.
    if (list.error && 'code' in list.error && list.error.code === 'ENOENT') return;
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split('\n'), NAMES);
    const verbose = spawnSync('cpio', ['-itv', '--quiet'], { input: buf, encoding: 'utf8' });
    const lines = verbose.stdout.trim().split('\n');
    assert.match(lines.find((l) => l.endsWith(' dev/console')) ?? '', /^crw------- .* 5, +1 /);
    assert.match(lines.find((l) => l.includes(' bin -> ')) ?? '', /^lrwxrwxrwx .* bin -> usr\/bin$/);
    assert.match(lines.find((l) => l.endsWith(' usr/bin/tool')) ?? '', /^-rwxr-xr-x /);
  });
});

describe('readCpio', () => {
  it('gives back what writeCpio wrote: names, modes, data, device numbers', () => {
    const entries: CpioEntry[] = [
      { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
      { name: 'etc', mode: S_IFDIR | 0o755 },
      { name: 'etc/hostname', mode: S_IFREG | 0o644, data: Buffer.from('ros\n\n') },
      { name: 'init', mode: S_IFLNK | 0o777, data: Buffer.from('/usr/bin/ros') },
      { name: 'empty', mode: S_IFREG | 0o600, data: Buffer.alloc(0) },
    ];
    const read = readCpio(archive(entries)).map((e) => ({ ...e, data: e.data?.toString() }));
    assert.deepEqual(read, [
      { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1, data: '' },
      { name: 'etc', mode: S_IFDIR | 0o755, data: '' },
      { name: 'etc/hostname', mode: S_IFREG | 0o644, data: 'ros\n\n' },
      { name: 'init', mode: S_IFLNK | 0o777, data: '/usr/bin/ros' },
      { name: 'empty', mode: S_IFREG | 0o600, data: '' },
    ]);
  });

  it('says where an archive is not newc or is cut short', () => {
    assert.throws(() => readCpio(Buffer.from('not an archive')), /no newc header at byte 0/);
    const whole = archive([{ name: 'etc/hostname', mode: S_IFREG | 0o644, data: Buffer.from('ros') }]);
    assert.throws(() => readCpio(whole.subarray(0, 120)), /entry at byte 0 runs past the end/);
    assert.throws(() => readCpio(whole.subarray(0, 125)), /etc\/hostname runs past the end/);
  });
});
