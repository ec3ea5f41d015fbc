import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deepMerge, getPath, mergeLayers } from '../../../src/config/merge';

describe('deepMerge', () => {
  it('merges maps key by key, recursively', () => {
    assert.deepEqual(deepMerge({ rancher: { a: 1, b: { c: 2, d: 3 } } }, { rancher: { b: { d: 4 }, e: 5 } }), {
      rancher: { a: 1, b: { c: 2, d: 4 }, e: 5 },
    });
  });

  it('replaces lists instead of concatenating them', () => {
    assert.deepEqual(deepMerge({ modules: ['a', 'b'] }, { modules: ['c'] }), { modules: ['c'] });
  });

  it('replaces scalars, and a map replaces a scalar and the other way round', () => {
    assert.deepEqual(deepMerge({ a: 1, b: 'x', c: 2, d: { e: 1 } }, { a: 2, b: false, c: { e: 1 }, d: 'flat' }), { a: 2, b: false, c: { e: 1 }, d: 'flat' });
  });

  it('keeps the base for an undefined layer and does not modify its inputs', () => {
    const base = { a: { b: 1 } };
    assert.deepEqual(deepMerge(base, undefined), base);
    deepMerge(base, { a: { b: 2 } });
    assert.deepEqual(base, { a: { b: 1 } });
  });
});

describe('mergeLayers', () => {
  it('applies layers lowest first', () => {
    assert.deepEqual(mergeLayers([{ a: 1, b: 1 }, { b: 2, c: 2 }, { c: 3 }]), { a: 1, b: 2, c: 3 });
  });
});

describe('getPath', () => {
  const cfg = { rancher: { docker: { extra_args: ['--debug'] }, recovery: false } };

  it('reads a dotted path', () => {
    assert.deepEqual(getPath(cfg, 'rancher.docker.extra_args'), ['--debug']);
    assert.equal(getPath(cfg, 'rancher.recovery'), false);
  });

  it('is undefined when a part is missing or not a map', () => {
    assert.equal(getPath(cfg, 'rancher.nope.x'), undefined);
    assert.equal(getPath(cfg, 'rancher.docker.extra_args.0'), undefined);
  });
});
