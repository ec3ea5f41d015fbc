import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { mergeSystemStore, staleReferences } from '../../../src/init/store-merge';

const META = 'image/overlay2';

/** A layer as dockerd's overlay2 driver keeps it: files, short link, layerdb entry. */
function layer(root: string, chain: string, cacheId: string, link: string, file: string): void {
  mkdirSync(join(root, 'overlay2', cacheId, 'diff'), { recursive: true });
  writeFileSync(join(root, 'overlay2', cacheId, 'diff', file), cacheId);
  writeFileSync(join(root, 'overlay2', cacheId, 'link'), link);
  mkdirSync(join(root, META, 'layerdb/sha256', chain), { recursive: true });
  writeFileSync(join(root, META, 'layerdb/sha256', chain, 'cache-id'), cacheId);
  writeFileSync(join(root, META, 'layerdb/sha256', chain, 'diff'), `sha256:${chain}`);
}

function image(root: string, id: string, refs: Record<string, Record<string, string>>): void {
  mkdirSync(join(root, META, 'imagedb/content/sha256'), { recursive: true });
  writeFileSync(join(root, META, 'imagedb/content/sha256', id), `{"config":"${id}"}`);
  writeFileSync(join(root, META, 'repositories.json'), JSON.stringify({ Repositories: refs }));
}

const repos = (root: string) => (JSON.parse(readFileSync(join(root, META, 'repositories.json'), 'utf8')) as { Repositories: unknown }).Repositories;

describe('mergeSystemStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-merge-'));
  const store = join(dir, 'store');
  const data = join(dir, 'data');
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    rmSync(store, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
    // The new version's store: os-base 0.2.0 on layer c2.
    layer(store, 'c2', 'new', 'NEWLINK', 'os-release');
    image(store, 'i2', { 'ros/os-base': { 'ros/os-base:0.2.0': 'sha256:i2' } });
    // A data root system-docker used under 0.1.0.
    layer(data, 'c1', 'old', 'OLDLINK', 'os-release');
    image(data, 'i1', { 'ros/os-base': { 'ros/os-base:0.1.0': 'sha256:i1' }, mine: { 'mine:latest': 'sha256:m' } });
  });

  it('adds the new layers and images beside the old ones and tags them', async () => {
    assert.deepEqual(await mergeSystemStore(data, { store }), ['ros/os-base:0.2.0']);
    assert.equal(readFileSync(join(data, 'overlay2/new/diff/os-release'), 'utf8'), 'new');
    assert.equal(readlinkSync(join(data, 'overlay2/l/NEWLINK')), '../new/diff');
    assert.equal(readFileSync(join(data, META, 'layerdb/sha256/c2/cache-id'), 'utf8'), 'new');
    assert.equal(existsSync(join(data, META, 'imagedb/content/sha256/i2')), true);
    assert.deepEqual(repos(data), { 'ros/os-base': { 'ros/os-base:0.1.0': 'sha256:i1', 'ros/os-base:0.2.0': 'sha256:i2' }, mine: { 'mine:latest': 'sha256:m' } });
    // What was there stays.
    assert.equal(readFileSync(join(data, 'overlay2/old/diff/os-release'), 'utf8'), 'old');
    assert.equal(existsSync(join(data, '.ros-merge')), false);
  });

  it('does nothing when the data root has every reference of the store', async () => {
    await mergeSystemStore(data, { store });
    rmSync(join(data, 'overlay2/new'), { recursive: true });
    assert.deepEqual(await mergeSystemStore(data, { store }), []);
    assert.equal(existsSync(join(data, 'overlay2/new')), false, 'copied again');
  });

  it('does not copy a layer the data root has, under whatever cache id', async () => {
    layer(data, 'c2', 'samelayer', 'SAME', 'os-release');
    assert.deepEqual(await mergeSystemStore(data, { store }), ['ros/os-base:0.2.0']);
    assert.equal(existsSync(join(data, 'overlay2/new')), false);
    assert.equal(readFileSync(join(data, META, 'layerdb/sha256/c2/cache-id'), 'utf8'), 'samelayer');
  });

  it('finishes after a power cut left a half copy', async () => {
    mkdirSync(join(data, '.ros-merge/diff'), { recursive: true });
    assert.deepEqual(await mergeSystemStore(data, { store }), ['ros/os-base:0.2.0']);
    assert.equal(readFileSync(join(data, 'overlay2/new/diff/os-release'), 'utf8'), 'new');
    assert.equal(existsSync(join(data, '.ros-merge')), false);
  });

  it('leaves a data root without image metadata to the seed', async () => {
    rmSync(data, { recursive: true });
    mkdirSync(data);
    assert.deepEqual(await mergeSystemStore(data, { store }), []);
  });
});

describe('staleReferences', () => {
  it('lists the references missing or pointing elsewhere', () => {
    const store = { a: { 'a:1': 'sha256:x', 'a:2': 'sha256:y' }, b: { 'b:1': 'sha256:z' } };
    assert.deepEqual(staleReferences(store, { a: { 'a:1': 'sha256:x', 'a:2': 'sha256:old' } }), [['a', 'a:2', 'sha256:y'], ['b', 'b:1', 'sha256:z']]);
    assert.deepEqual(staleReferences(store, store), []);
  });
});
