import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL } from '../../../src/config/service-types';
import { isOneShot, labelList, labelsOf, scopeOf } from '../../../src/services/labels';

describe('labelsOf', () => {
  it('reads a label map as is', () => {
    assert.deepEqual(labelsOf({ image: 'x', labels: { a: 'b' } }), { a: 'b' });
  });

  it('reads a KEY=value list, a bare key giving ""', () => {
    assert.deepEqual(labelsOf({ image: 'x', labels: ['a=b=c', 'flag'] }), { a: 'b=c', flag: '' });
  });

  it('gives {} without labels', () => {
    assert.deepEqual(labelsOf({ image: 'x' }), {});
  });
});

describe('labelList', () => {
  it('splits at commas, trimming and dropping empties', () => {
    assert.deepEqual(labelList({ image: 'x', labels: { [LABEL.after]: ' network, udev,,' } }, LABEL.after), ['network', 'udev']);
    assert.deepEqual(labelList({ image: 'x' }, LABEL.after), []);
  });
});

describe('scopeOf and isOneShot', () => {
  it('reads the scope, system by default', () => {
    assert.equal(scopeOf({ image: 'x', labels: [`${LABEL.scope}=user`] }), 'user');
    assert.equal(scopeOf({ image: 'x', labels: { [LABEL.scope]: 'other' } }), 'system');
    assert.equal(scopeOf({ image: 'x' }), 'system');
  });

  it('treats detach=false as a one-shot', () => {
    assert.equal(isOneShot({ image: 'x', labels: { [LABEL.detach]: 'false' } }), true);
    assert.equal(isOneShot({ image: 'x', labels: { [LABEL.detach]: 'true' } }), false);
    assert.equal(isOneShot({ image: 'x' }), false);
  });
});
