import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shellSplit } from '../../../src/services/shell-words';

describe('shellSplit', () => {
  it('splits on blanks and honours quotes and backslashes', () => {
    assert.deepEqual(shellSplit('sh -c "echo hello there; sleep 1"'), ['sh', '-c', 'echo hello there; sleep 1']);
    assert.deepEqual(shellSplit("a 'b c' d\\ e \"x\\\"y\""), ['a', 'b c', 'd e', 'x"y']);
    assert.deepEqual(shellSplit('  ntpd   -n  '), ['ntpd', '-n']);
    assert.deepEqual(shellSplit('a "" b'), ['a', '', 'b']);
  });
  it('rejects an unclosed quote', () => {
    assert.throws(() => shellSplit('sh -c "oops'), /unclosed " quote/);
  });
});
