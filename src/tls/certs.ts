// Certificates for the Docker API over TLS, as RancherOS' `ros tls gen` made
// them: one CA per node, a server certificate for dockerd (its names and
// addresses as subjectAltNames) and client certificates for `docker
// --tlsverify`. Keys come from node:crypto (RSA 2048, native and fast);
// node-forge writes the X.509 (node:crypto only parses certificates).
// docs/architecture.md, "Docker over TLS".
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type Forge from 'node-forge';

/**
 * node-forge is 600 KB of JavaScript, and every program that can make a
 * certificate imports this file: init and the CLI. Evaluated on the first
 * certificate made instead of at each start (docs/architecture.md, "What a
 * start of ros costs").
 */
let forgeModule: typeof Forge | undefined;
function forge(): typeof Forge {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load the bundler still follows
  forgeModule ??= require('node-forge') as typeof Forge;
  return forgeModule;
}

export interface Pem {
  cert: string;
  key: string;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function keyPair(): { sk: Forge.pki.rsa.PrivateKey; pk: Forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return { sk: forge().pki.privateKeyFromPem(keyPem), pk: forge().pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()), keyPem };
}

function newCert(pk: Forge.pki.PublicKey, cn: string, years: number, now: Date): Forge.pki.Certificate {
  const cert = forge().pki.createCertificate();
  cert.publicKey = pk;
  // Positive, random, 16 bytes: RFC 5280 serials must not repeat under one CA.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 3600 * 1000); // a clock a little behind still accepts it
  cert.validity.notAfter = new Date(now.getTime() + years * YEAR_MS);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  return cert;
}

/** A new CA, valid ten years. */
export function makeCa(name: string, now = new Date()): Pem {
  const { sk, pk, keyPem } = keyPair();
  const cert = newCert(pk, `${name} CA`, 10, now);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(sk, forge().md.sha256.create());
  return { cert: forge().pki.certificateToPem(cert), key: keyPem };
}

/** Pure: subjectAltNames for names and addresses; localhost and 127.0.0.1 always, as local clients use them. */
export function altNames(hosts: string[]): { type: number; value?: string; ip?: string }[] {
  const all = [...new Set(['localhost', '127.0.0.1', ...hosts.map((h) => h.trim()).filter(Boolean)])];
  return all.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
}

/** A certificate signed by `ca`: `server` for dockerd (with its names), `client` for docker. */
export function issue(ca: Pem, kind: 'server' | 'client', cn: string, hosts: string[] = [], now = new Date()): Pem {
  const caCert = forge().pki.certificateFromPem(ca.cert);
  const caKey = forge().pki.privateKeyFromPem(ca.key);
  const { pk, keyPem } = keyPair();
  const cert = newCert(pk, cn, 3, now);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: kind === 'server', clientAuth: kind === 'client' },
    ...(kind === 'server' ? [{ name: 'subjectAltName', altNames: altNames(hosts) }] : []),
  ]);
  cert.sign(caKey, forge().md.sha256.create());
  return { cert: forge().pki.certificateToPem(cert), key: keyPem };
}
