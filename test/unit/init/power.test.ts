import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SIGNAL_ACTIONS } from '../../../src/init/power';

describe('SIGNAL_ACTIONS', () => {
  it('maps the busybox and kernel signals to power actions', () => {
    assert.deepEqual(SIGNAL_ACTIONS.SIGTERM, { kind: 'shutdown', action: 'reboot', reason: 'SIGTERM' });
    assert.deepEqual(SIGNAL_ACTIONS.SIGINT, { kind: 'shutdown', action: 'reboot', reason: 'ctrl-alt-del' });
    assert.deepEqual(SIGNAL_ACTIONS.SIGUSR1, { kind: 'shutdown', action: 'halt', reason: 'SIGUSR1' });
    assert.deepEqual(SIGNAL_ACTIONS.SIGUSR2, { kind: 'shutdown', action: 'poweroff', reason: 'SIGUSR2' });
    assert.deepEqual(SIGNAL_ACTIONS.SIGPWR, { kind: 'shutdown', action: 'poweroff', reason: 'SIGPWR' });
  });

  it('makes SIGHUP a reload', () => {
    assert.deepEqual(SIGNAL_ACTIONS.SIGHUP, { kind: 'reload' });
  });

  it('handles no other signal', () => {
    assert.deepEqual(Object.keys(SIGNAL_ACTIONS).sort(), ['SIGHUP', 'SIGINT', 'SIGPWR', 'SIGTERM', 'SIGUSR1', 'SIGUSR2']);
  });
});
