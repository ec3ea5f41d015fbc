import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatConsoleLine } from '../../../src/log/console-format';

const rec = (o: Record<string, unknown>) => JSON.stringify({ time: '2024-01-01T00:00:00.000Z', name: 'init', ...o });

describe('formatConsoleLine', () => {
  it('prints info without a level word', () => {
    assert.equal(formatConsoleLine(rec({ level: 30, msg: 'stage storage (3/9): done in 412 ms' })), '[ros] stage storage (3/9): done in 412 ms\n');
  });

  it('prefixes warn and error with their level', () => {
    assert.equal(formatConsoleLine(rec({ level: 40, msg: 'slow' })), '[ros] WARN slow\n');
    assert.equal(formatConsoleLine(rec({ level: 50, msg: 'broke' })), '[ros] ERROR broke\n');
  });

  it('prints raw records verbatim', () => {
    assert.equal(formatConsoleLine(rec({ level: 30, raw: true, msg: '[ros] milestone=init uptime=0.42' })), '[ros] milestone=init uptime=0.42\n');
  });

  it('appends the error message unless the message already has it', () => {
    assert.equal(formatConsoleLine(rec({ level: 40, msg: 'task mount-state: failed', err: { message: 'EBUSY' } })), '[ros] WARN task mount-state: failed: EBUSY\n');
    assert.equal(formatConsoleLine(rec({ level: 50, msg: 'mount /x: EBUSY', err: { message: 'EBUSY' } })), '[ros] ERROR mount /x: EBUSY\n');
  });

  it('passes a line that is not JSON through unchanged', () => {
    assert.equal(formatConsoleLine('not json {\n'), 'not json {\n');
  });
});
