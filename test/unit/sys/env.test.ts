import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_ENV, sanitisedEnv } from '../../../src/sys/env';

describe('sanitisedEnv', () => {
  it('drops NODE_OPTIONS and kernel words, keeping only the base keys', () => {
    const env = sanitisedEnv({ NODE_OPTIONS: '--require /tmp/x.js', BOOT_IMAGE: '/vmlinuz', rancher_x: '1', PATH: '/evil', HOME: '/' });
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'LANG', 'PATH', 'TERM']);
    assert.equal(env.PATH, BASE_ENV.PATH);
    assert.equal(env.HOME, '/root');
    assert.equal(env.TERM, 'linux');
  });

  it('keeps a safe TERM from the kernel', () => {
    assert.equal(sanitisedEnv({ TERM: 'xterm-256color' }).TERM, 'xterm-256color');
  });

  it('rejects a TERM with spaces or shell characters', () => {
    assert.equal(sanitisedEnv({ TERM: 'vt100 x' }).TERM, 'linux');
    assert.equal(sanitisedEnv({ TERM: 'vt100;reboot' }).TERM, 'linux');
    assert.equal(sanitisedEnv({ TERM: '$(id)' }).TERM, 'linux');
  });
});
