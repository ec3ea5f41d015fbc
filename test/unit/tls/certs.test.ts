// The certificates do what dockerd --tlsverify needs, shown with a real TLS
// handshake on loopback: the server is trusted under its names, a client with
// a certificate from the same CA gets in, one without (or from another CA) not.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { connect, createServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { altNames, issue, makeCa, type Pem } from '../../../src/tls/certs';

const ca = makeCa('node-1');
const server = issue(ca, 'server', 'node-1', ['node-1.example.com', '10.0.0.5']);
const client = issue(ca, 'client', 'client');
const strangerCa = makeCa('elsewhere');
const stranger = issue(strangerCa, 'client', 'client');

async function handshake(host: string, creds: Pem | null): Promise<string> {
  const srv = createServer({ cert: server.cert, key: server.key, ca: ca.cert, requestCert: true, rejectUnauthorized: true }, (s) => s.end('hello'));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    return await new Promise<string>((resolve, reject) => {
      const sock: TLSSocket = connect({ host: '127.0.0.1', port, servername: host, ca: ca.cert, ...(creds ?? {}), checkServerIdentity: (_h, cert) => (new X509Certificate(cert.raw).checkHost(host) || new X509Certificate(cert.raw).checkIP(host) ? undefined : new Error(`not valid for ${host}`)) });
      let data = '';
      sock.on('data', (d: Buffer) => (data += d.toString()));
      sock.on('end', () => (data === '' ? reject(new Error('closed with nothing served')) : resolve(data)));
      sock.on('error', reject);
    });
  } finally {
    srv.close();
  }
}

describe('Docker TLS certificates', () => {
  it('the CA is a CA and signs the server and client certificates', () => {
    const c = new X509Certificate(ca.cert);
    assert.ok(c.ca);
    assert.ok(new X509Certificate(server.cert).verify(c.publicKey));
    assert.ok(new X509Certificate(client.cert).verify(c.publicKey));
    assert.ok(!new X509Certificate(client.cert).ca);
  });

  it('the server certificate names the node, its addresses, localhost and 127.0.0.1', () => {
    const s = new X509Certificate(server.cert);
    assert.match(s.subjectAltName ?? '', /DNS:localhost/);
    assert.match(s.subjectAltName ?? '', /DNS:node-1\.example\.com/);
    assert.match(s.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(s.subjectAltName ?? '', /IP Address:10\.0\.0\.5/);
    assert.deepEqual(altNames(['a', 'a', ' ', '::1']).map((n) => n.value ?? n.ip), ['localhost', '127.0.0.1', 'a', '::1']);
  });

  it('a client with a certificate from the node\'s CA gets in, by name and by address', async () => {
    assert.equal(await handshake('localhost', client), 'hello');
    assert.equal(await handshake('127.0.0.1', client), 'hello');
  });

  it('a client without a certificate, or with one from another CA, is refused', async () => {
    // Under TLS 1.3 the server's refusal may come after the client's handshake: what matters is that nothing is served.
    const outcome = (creds: Pem | null) => handshake('localhost', creds).catch((err: Error) => `refused: ${err.message}`);
    assert.match(await outcome(null), /^refused: /);
    assert.match(await outcome(stranger), /^refused: /);
  });
});
