import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { seedSystemStore } from '../../../src/init/system-store';

describe('seedSystemStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-store-'));
  const store = join(dir, 'store');
  const data = join(dir, 'data');
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    rmSync(store, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
    mkdirSync(join(store, 'overlay2/abc/diff'), { recursive: true });
    mkdirSync(join(store, 'overlay2/l'), { recursive: true });
    writeFileSync(join(store, 'overlay2/abc/diff/os-release'), 'ros');
    symlinkSync('../abc/diff', join(store, 'overlay2/l/SHORT'));
    mkdirSync(join(store, 'image/overlay2'), { recursive: true });
    writeFileSync(join(store, 'image/overlay2/repositories.json'), '{}');
    mkdirSync(data);
  });

  it('copies the store into a data root no dockerd has used, relative links as they are', async () => {
    assert.equal(await seedSystemStore(data, { store }), true);
    assert.equal(readFileSync(join(data, 'overlay2/abc/diff/os-release'), 'utf8'), 'ros');
    assert.equal(readlinkSync(join(data, 'overlay2/l/SHORT')), '../abc/diff');
    assert.equal(readFileSync(join(data, 'image/overlay2/repositories.json'), 'utf8'), '{}');
    assert.equal(existsSync(join(data, '.ros-store')), false);
  });

  it('leaves a data root a dockerd has used alone', async () => {
    mkdirSync(join(data, 'image'));
    mkdirSync(join(data, 'overlay2/mine'), { recursive: true });
    assert.equal(await seedSystemStore(data, { store }), false);
    assert.equal(existsSync(join(data, 'overlay2/mine')), true);
    assert.equal(existsSync(join(data, 'overlay2/abc')), false);
  });

  it('clears what a power cut during an earlier copy left', async () => {
    mkdirSync(join(data, 'overlay2/half'), { recursive: true });
    mkdirSync(join(data, '.ros-store/image'), { recursive: true });
    assert.equal(await seedSystemStore(data, { store }), true);
    assert.equal(existsSync(join(data, 'overlay2/half')), false);
    assert.equal(existsSync(join(data, 'overlay2/abc/diff/os-release')), true);
  });

  it('from RAM, binds each layer\'s files instead of copying them', async () => {
    const binds: [string, string][] = [];
    assert.equal(await seedSystemStore(data, { store, bind: (from, to) => binds.push([from, to]) }), true);
    assert.deepEqual(binds, [[join(store, 'overlay2/abc/diff'), join(data, 'overlay2/abc/diff')]]);
    assert.deepEqual(readdirSync(join(data, 'overlay2/abc/diff')), []);
    assert.equal(readlinkSync(join(data, 'overlay2/l/SHORT')), '../abc/diff');
    assert.equal(readFileSync(join(data, 'image/overlay2/repositories.json'), 'utf8'), '{}');
  });

  it('does nothing when the image has no store (built without root)', async () => {
    rmSync(store, { recursive: true, force: true });
    assert.equal(await seedSystemStore(data, { store }), false);
  });
});
