import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { dockerAt } from '../../../src/docker/clients';
import { isNotFound, orNotFound } from '../../../src/services/observe';
import { upServices } from '../../../src/services/runner';

describe('observing a daemon', () => {
  it('reads Docker\'s 404 as "none", and any other error as an error', async () => {
    const notFound = Object.assign(new Error('no such container: x'), { statusCode: 404 });
    const denied = Object.assign(new Error('permission denied'), { statusCode: 403 });
    assert.equal(isNotFound(notFound), true);
    assert.equal(await orNotFound(Promise.reject(notFound)), null);
    await assert.rejects(orNotFound(Promise.reject(denied)), /permission denied/);
    assert.equal(await orNotFound(Promise.resolve(5)), 5);
  });

  it('fails to bring services up when the daemon cannot be reached, instead of planning to create them', async () => {
    const log = pino({ level: 'silent' });
    await assert.rejects(upServices(dockerAt('/nonexistent/docker.sock'), { ntp: { image: 'busybox' } }, log), /ENOENT|connect/);
  });
});
