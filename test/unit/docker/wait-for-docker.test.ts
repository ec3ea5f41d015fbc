import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForDocker } from '../../../src/docker/clients';

// A real HTTP server on a Unix socket stands in for dockerd's API: only /_ping matters here.
const dirs: string[] = [];
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function socketPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ros-ping-'));
  dirs.push(dir);
  return join(dir, 'docker.sock');
}

function serve(path: string, status: number): Promise<number[]> {
  const seen: number[] = [];
  const server = createServer((req, res) => {
    seen.push(Date.now());
    res.statusCode = req.url === '/_ping' ? status : 404;
    res.end('OK');
  });
  servers.push(server);
  return new Promise((done) => server.listen(path, () => done(seen)));
}

describe('waitForDocker', () => {
  it('waits for the socket to appear, then resolves on the first 200 from /_ping', async () => {
    const path = socketPath();
    let seen: number[] = [];
    setTimeout(() => void serve(path, 200).then((s) => { seen = s; }), 300);
    await waitForDocker(path, 5000);
    assert.equal(seen.length, 1, 'no request before the socket existed, one after');
  });

  it('keeps asking while the daemon answers with an error, and names the last one on timeout', async () => {
    const path = socketPath();
    const seen = await serve(path, 500);
    await assert.rejects(waitForDocker(path, 600), /did not answer within 1 s \(\/_ping answered HTTP 500\)/);
    assert.ok(seen.length >= 2, `asked ${seen.length} times`);
  });

  it('says there is no socket when none ever appeared', async () => {
    await assert.rejects(waitForDocker(socketPath(), 300), /\(no socket\)/);
  });

  it('stops as soon as the daemon has exited', async () => {
    await assert.rejects(waitForDocker(socketPath(), 5000, () => false), /exited before answering/);
  });
});
