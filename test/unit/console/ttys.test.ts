import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consoleTtys } from '../../../src/console/ttys';

const names = (cmdline: string[]) => consoleTtys(cmdline, undefined).map((t) => t.tty);
const auto = (autologin: unknown) => consoleTtys(['console=ttyS1'], autologin).filter((t) => t.autologin).map((t) => t.tty);

describe('consoleTtys', () => {
  it('always has ttyS0 and tty1, without autologin by default', () => {
    assert.deepEqual(consoleTtys([], undefined), [
      { tty: 'ttyS0', autologin: false },
      { tty: 'tty1', autologin: false },
    ]);
  });

  it('adds console= ttys once, ignoring options after the comma and non-tty consoles', () => {
    assert.deepEqual(names(['console=ttyS1,115200n8', 'console=tty0', 'console=ttyS0', 'console=ttyS1', 'console=lp0', 'quiet']), ['ttyS0', 'tty1', 'ttyS1', 'tty0']);
  });

  it('takes autologin as a string, a list or comma-separated', () => {
    assert.deepEqual(auto('ttyS1'), ['ttyS1']);
    assert.deepEqual(auto(['tty1', 'ttyS1']), ['tty1', 'ttyS1']);
    assert.deepEqual(auto('ttyS0,ttyS1'), ['ttyS0', 'ttyS1']);
    assert.deepEqual(auto(['ttyS0,tty1']), ['ttyS0', 'tty1']);
  });

  it('ignores autologin values that are not strings or not consoles', () => {
    assert.deepEqual(auto(true), []);
    assert.deepEqual(auto(['tty9', 5]), []);
  });
});
