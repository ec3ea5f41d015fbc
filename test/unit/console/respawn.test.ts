import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RESPAWN, respawnArgv, shellQuote } from '../../../src/console/respawn';

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest, quotes inside included', () => {
    assert.equal(shellQuote('/sbin/getty'), '/sbin/getty');
    assert.equal(shellQuote('-p'), '-p');
    assert.equal(shellQuote('a b'), "'a b'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
    assert.equal(shellQuote('$HOME;`x`'), "'$HOME;`x`'");
    assert.equal(shellQuote(''), "''");
  });
});

describe('respawnArgv', () => {
  it('gives WHAT STDIO COMMAND per program, then -- and the hooks', () => {
    const argv = respawnArgv(
      [
        { what: 'getty on ttyS0', cmd: '/sbin/getty', args: ['-L', '115200', 'ttyS0'], stdio: 'ignore' },
        { what: 'sshd', cmd: '/usr/sbin/dropbear', args: ['-p', '[::]:22'], stdio: 'inherit' },
      ],
      ['/etc/rc.local'],
    );
    assert.deepEqual(argv, [RESPAWN, 'getty on ttyS0', 'ignore', '/sbin/getty -L 115200 ttyS0', 'sshd', 'inherit', "/usr/sbin/dropbear -p '[::]:22'", '--', '/etc/rc.local']);
  });
});
