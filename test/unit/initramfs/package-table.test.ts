import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLock } from '../../../initramfs/lib/deb';
import { PACKAGES } from '../../../initramfs/packages';
import { BEGIN, END, packageTable, withPackageTable } from '../../../initramfs/package-table';

const ROOT = join(__dirname, '..', '..', '..');

describe('packageTable', () => {
  it('shows the kernel the metapackage pins, with versions and reasons', () => {
    const table = packageTable(
      [{ name: 'linux-image-amd64', why: 'the kernel' }, { name: 'runc', why: 'OCI | runtime' }],
      { 'linux-image-amd64': '6.12.1-1', 'linux-image-6.12.1+deb13-amd64': '6.12.1-1', runc: '1.1.15' },
    );
    assert.match(table, /\| linux-image-6\.12\.1\+deb13-amd64 \| 6\.12\.1-1 \| the kernel \|/);
    assert.match(table, /\| runc \| 1\.1\.15 \| OCI \\\| runtime \|/);
  });

  it('replaces only what is between the markers', () => {
    const out = withPackageTable(`a\n${BEGIN}\nold\n${END}\nb\n`, 'NEW');
    assert.equal(out, 'a\nNEW\nb\n');
  });

  it('README.md lists every package of the image with its pinned version (make lock rewrites it)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = packageTable(PACKAGES, readLock(join(ROOT, 'initramfs/packages.lock')));
    assert.ok(readme.includes(table), 'README.md package table is stale: run `make lock`');
  });

  it('every pinned package is one the image names (no leftovers in packages.lock)', () => {
    const lock = readLock(join(ROOT, 'initramfs/packages.lock'));
    const named = new Set(PACKAGES.map((p) => p.name));
    const extra = Object.keys(lock).filter((k) => !named.has(k) && !/^linux-image-\d/.test(k));
    assert.deepEqual(extra, []);
  });
});
