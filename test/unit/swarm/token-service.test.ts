// The token service and its client over loopback HTTP. No Docker runs here
// with Swarm, so the daemon is a socket nobody listens on: a request that
// passes the secret check reaches it and fails there, one that does not never
// gets that far.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { dockerAt } from '../../../src/docker/clients';
import { clusterKeys } from '../../../src/swarm/protocol';
import { askManager, WrongSecretError } from '../../../src/swarm/token-client';
import { startTokenServer } from '../../../src/swarm/token-server';

const SECRET = 'k7Zc0v3mQ2xLr9PqTt8uWb5yHn1sDe4f';
const WRONG = 'not-the-cluster-secret-at-all!!';

describe('the join-token service', () => {
  let server: Server;
  let port = 0;
  const said: string[] = [];
  before(async () => {
    server = await startTokenServer(dockerAt('/nonexistent/docker.sock', 2000), clusterKeys(SECRET), '127.0.0.1', (level, m) => void said.push(`${level}: ${m}`), 0);
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses a node with another secret, and both ends say why', async () => {
    await assert.rejects(askManager('127.0.0.1', port, clusterKeys(WRONG), { op: 'token', role: 'worker' }), (err: Error) => {
      assert.ok(err instanceof WrongSecretError);
      assert.match(err.message, /refused this node: this node's rancher\.swarm\.cluster_secret is not the manager's/);
      return true;
    });
    assert.ok(said.some((l) => /^error: refused a request from 127\.0\.0\.1: .*cluster_secret differs/.test(l)), said.join('\n'));
    assert.ok(!said.some((l) => l.includes(SECRET) || l.includes(WRONG)), 'no secret in the log');
  });

  it('lets a node with the secret through to the daemon (here: none, so HTTP 500 naming it)', async () => {
    await assert.rejects(askManager('127.0.0.1', port, clusterKeys(SECRET), { op: 'token', role: 'worker' }), (err: Error) => {
      assert.ok(!(err instanceof WrongSecretError));
      assert.match(err.message, /^HTTP 500: .*nonexistent/);
      return true;
    });
  });

  it('refuses a request whose challenge was never issued', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/ask', headers: { 'x-ros-mac': '00'.repeat(32) } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(status, 403);
  });

  it('says "connection refused" when no manager listens yet', async () => {
    const closed = await startTokenServer(dockerAt('/nonexistent'), clusterKeys(SECRET), '127.0.0.1', () => {}, 0);
    const p = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(askManager('127.0.0.1', p, clusterKeys(SECRET), { op: 'token', role: 'worker' }), /^Error: connection refused$/);
  });
});
