import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dockerHealthcheck, durationNs, healthWaitMs } from '../../../src/services/health';

describe('health checks', () => {
  it('parses compose durations to nanoseconds', () => {
    assert.equal(durationNs('30s'), 30e9);
    assert.equal(durationNs('1m30s'), 90e9);
    assert.equal(durationNs('500ms'), 500e6);
    assert.equal(durationNs('1.5s'), 1.5e9);
    assert.equal(durationNs('30'), undefined);
    assert.equal(durationNs('3x'), undefined);
    assert.equal(durationNs(undefined), undefined);
  });

  it('maps to the Docker Healthcheck object', () => {
    assert.deepEqual(dockerHealthcheck({ test: 'curl -f localhost', interval: '2s', retries: 2 }), {
      Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 2e9, Timeout: undefined, Retries: 2, StartPeriod: undefined,
    });
    assert.deepEqual(dockerHealthcheck({ test: ['CMD', 'false'] })?.Test, ['CMD', 'false']);
    assert.deepEqual(dockerHealthcheck({ disable: true }), { Test: ['NONE'] });
    assert.equal(dockerHealthcheck(undefined), undefined);
  });

  it('waits for the grace period plus every allowed failure, with slack', () => {
    assert.equal(healthWaitMs({ interval: '2s', timeout: '1s', retries: 2, start_period: '3s' }), 3000 + 2 * 3000 + 5000);
    assert.equal(healthWaitMs({}), 3 * 60000 + 5000);
  });
});
