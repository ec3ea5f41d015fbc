import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BACKOFF_MS, HEALTHY_RUN_MS, nextDelay } from '../../../src/console/respawn';

describe('respawn backoff', () => {
  it('waits longer after each quick exit, up to the last step', () => {
    let failures = 0;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const next = nextDelay(failures, 50);
      delays.push(next.delayMs);
      failures = next.quickFailures;
    }
    assert.deepEqual(delays, [2000, 5000, 10_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('starts again after a second once a run was long enough to count as healthy', () => {
    assert.deepEqual(nextDelay(4, HEALTHY_RUN_MS), { delayMs: BACKOFF_MS[0], quickFailures: 0 });
  });
});
