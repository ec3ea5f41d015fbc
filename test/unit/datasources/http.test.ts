import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { Deadline, MetadataHttp, Unreachable } from '../../../src/datasources/http';
import { closedPort, startEmulator, type Emulator } from '../../emulators/server';
import { FAST } from './env';

const started: Emulator[] = [];
after(() => Promise.all(started.map((e) => e.close())));
const emulator = async (...args: Parameters<typeof startEmulator>) => {
  const e = await startEmulator(...args);
  started.push(e);
  return e;
};
const hello = () => ({ body: 'hello' });

describe('MetadataHttp', () => {
  it('retries a service that fails its first requests with 503', async () => {
    const e = await emulator(hello, { failFirst: 3 });
    const http = new MetadataHttp(e.url, new Deadline(5000), FAST);
    assert.equal(await http.text('/x'), 'hello');
    assert.equal(e.requests.length, 4);
  });

  it('retries connections the service drops', async () => {
    const e = await emulator(hello, { failFirst: 2, drop: true });
    assert.equal(await new MetadataHttp(e.url, new Deadline(5000), FAST).text('/x'), 'hello');
  });

  it('gives null for 404 and does not retry it', async () => {
    const e = await emulator(() => undefined);
    assert.equal(await new MetadataHttp(e.url, new Deadline(5000), FAST).text('/missing'), null);
    assert.equal(e.requests.length, 1);
  });

  it('throws for another 4xx at once', async () => {
    const e = await emulator(() => ({ status: 403, body: 'no' }));
    await assert.rejects(new MetadataHttp(e.url, new Deadline(5000), FAST).text('/x'), /HTTP 403/);
    assert.equal(e.requests.length, 1);
  });

  it('gives up on a refused connection after its tries, well inside the deadline', async () => {
    const url = await closedPort();
    const t0 = Date.now();
    await assert.rejects(new MetadataHttp(url, new Deadline(5000), FAST).text('/x'), (err: Error) => err instanceof Unreachable && /ECONNREFUSED/.test(err.message));
    // Bounds far from the deadline, not a speed target: a loaded machine must not fail it.
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });

  it('stops at the deadline when the service never answers', async () => {
    const e = await emulator(hello, { hang: true });
    const t0 = Date.now();
    const policy = { timeoutMs: 400, tries: 100, backoffMs: 10 };
    await assert.rejects(new MetadataHttp(e.url, new Deadline(1000), policy).text('/x'), /timed out/);
    const ms = Date.now() - t0;
    assert.ok(ms >= 900 && ms < 3000, `took ${ms} ms`);
  });

  it('shares one deadline among requests: a later request starts nothing once it passed', async () => {
    const e = await emulator(hello, { delayMs: 200 });
    const http = new MetadataHttp(e.url, new Deadline(400), { ...FAST, timeoutMs: 1000 });
    assert.equal(await http.text('/a'), 'hello');
    await new Promise((r) => setTimeout(r, 250));
    await assert.rejects(http.text('/b'), /deadline had passed/);
  });
});
