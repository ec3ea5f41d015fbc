import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkStateFormat } from '../../../src/upgrade/state-format';

describe('upgrade: the state format', () => {
  it('records the format on a state that has none, and leaves a current one alone', () => {
    assert.deepEqual(checkStateFormat(null, 1), { write: 1 });
    assert.deepEqual(checkStateFormat('1\n', 1), { write: null });
    assert.deepEqual(checkStateFormat('1\n', 2), { write: 2 });
  });

  it('refuses a newer format with a way back, and junk', () => {
    const r = checkStateFormat('2\n', 1);
    assert.ok('error' in r);
    assert.match(r.error, /format 2, written by a newer ros; this version reads format 1 .*ros os rollback/);
    assert.match((checkStateFormat('x', 1) as { error: string }).error, /holds "x"/);
  });
});
