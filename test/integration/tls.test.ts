// The user Docker's API over TLS with a real dockerd: the arguments ros gives
// dockerd for rancher.docker.tls (DEFAULT_TLS_ARGS, pointed at the test's
// files), the node's certificates as `ros tls gen` makes them, and clients
// with and without a certificate from the node's CA.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_TLS_ARGS } from '../../src/services/docker-daemon';
import { TLS_DIR } from '../../src/config/paths';
import { issue, makeCa, type Pem } from '../../src/tls/certs';
import { ensureDockerTls, nodeCa, writeClientCert } from '../../src/tls/files';
import { startDockerd, type TestDaemon } from './dockerd';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function version(port: number, creds: Partial<Pem> & { ca: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/version', ca: creds.ca, cert: creds.cert, key: creds.key, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the user Docker over TLS (rancher.docker.tls)', () => {
  let d: TestDaemon;
  let port: number;
  let tlsDir = '';
  before(async () => {
    port = await freePort();
    // dockerd sees the test's directory as /tmp: the default arguments, moved there.
    const args = DEFAULT_TLS_ARGS.map((a) => a.replace(TLS_DIR, '/tmp/tls').replace('0.0.0.0:2376', `127.0.0.1:${port}`));
    d = await startDockerd({ args, prepare: (dir) => ensureDockerTls({ tls: true }, (tlsDir = join(dir, 'tls')), ['node-1']) });
  });
  after(() => d.stop());

  it('answers a client with a certificate from the node\'s CA', async () => {
    const out = join(tlsDir, 'client');
    writeClientCert(nodeCa({}, tlsDir).ca, out);
    const r = await version(port, { ca: readFileSync(join(out, 'ca.pem'), 'utf8'), cert: readFileSync(join(out, 'cert.pem'), 'utf8'), key: readFileSync(join(out, 'key.pem'), 'utf8') });
    assert.equal(r.status, 200);
    assert.match(r.body, /"ApiVersion"/);
  });

  it('refuses a client without a certificate, or with one from another CA', async () => {
    const ca = readFileSync(join(tlsDir, 'ca.pem'), 'utf8');
    await assert.rejects(version(port, { ca }));
    const stranger = issue(makeCa('elsewhere'), 'client', 'client');
    await assert.rejects(version(port, { ca, ...stranger }));
  });

  it('keeps the node\'s CA: a second ensure makes nothing new', () => {
    assert.deepEqual(ensureDockerTls({ tls: true }, tlsDir, ['node-1']), []);
  });
});
