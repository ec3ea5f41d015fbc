import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError, bufferReader, verifyBundle } from '../../../src/upgrade/bundle';
import { encodeManifest, makeManifest, type Manifest } from '../../../src/upgrade/manifest';
import { encodeSignature, signManifest, trustedKey, type TrustedKey } from '../../../src/upgrade/signature';
import { TAR_END, padding, tarHeader } from '../../../src/upgrade/tar';

function keyPair(): { priv: string; trusted: TrustedKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const t = trustedKey(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'test key');
  if ('error' in t) throw new Error(t.error);
  return { priv: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), trusted: t };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const tar = (members: [string, Buffer][]): Buffer =>
  Buffer.concat([...members.flatMap(([n, b]) => [tarHeader(n, b.length), b, padding(b.length)]), TAR_END]);

const kernel = Buffer.from('kernel bytes '.repeat(100));
const initrd = Buffer.from('initrd bytes '.repeat(1000));

function bundle(priv: string, edit: (m: Manifest) => void = () => {}): { bytes: Buffer; manifestBytes: Buffer } {
  const m = makeManifest('1.2.3', 'abc1234', new Date(0), {
    vmlinuz: { size: kernel.length, sha256: sha(kernel) },
    'initrd.img': { size: initrd.length, sha256: sha(initrd) },
  });
  edit(m);
  const manifestBytes = encodeManifest(m);
  const sig = encodeSignature(signManifest(manifestBytes, priv));
  return { bytes: tar([['manifest.json', manifestBytes], ['manifest.sig', sig], ['vmlinuz', kernel], ['initrd.img', initrd]]), manifestBytes };
}

describe('upgrade: bundles', () => {
  const { priv, trusted } = keyPair();

  it('verifies a bundle signed by a trusted key and finds each part', () => {
    const { bytes } = bundle(priv);
    const v = verifyBundle(bufferReader(bytes), [trusted]);
    assert.equal(v.manifest.version, '1.2.3');
    assert.deepEqual(bytes.subarray(v.parts.vmlinuz.offset, v.parts.vmlinuz.offset + v.parts.vmlinuz.size), kernel);
    assert.deepEqual(bytes.subarray(v.parts['initrd.img'].offset, v.parts['initrd.img'].offset + initrd.length), initrd);
  });

  it('is a tar that GNU tar lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ros-bundle-'));
    writeFileSync(join(dir, 'b.bundle'), bundle(priv).bytes);
    assert.deepEqual(execFileSync('tar', ['tf', join(dir, 'b.bundle')]).toString().trim().split('\n'), ['manifest.json', 'manifest.sig', 'vmlinuz', 'initrd.img']);
  });

  it('refuses one flipped byte in a part, naming the part', () => {
    const { bytes } = bundle(priv);
    const v = verifyBundle(bufferReader(bytes), [trusted]);
    const bad = Buffer.from(bytes);
    const at = v.parts['initrd.img'].offset + 77;
    bad[at] = (bad[at] ?? 0) ^ 1;
    assert.throws(() => verifyBundle(bufferReader(bad), [trusted]), (e: Error) => e instanceof BundleError && /sha256 of initrd\.img/.test(e.message));
  });

  it('refuses a flipped byte in the manifest as a bad signature', () => {
    const { bytes } = bundle(priv);
    const bad = Buffer.from(bytes);
    const at = 512 + 20;
    bad[at] = (bad[at] ?? 0) ^ 1;
    // The header checksum does not cover data, so this reaches the signature check.
    assert.throws(() => verifyBundle(bufferReader(bad), [trusted]), /does not verify with key/);
  });

  it('refuses a bundle signed by a key it does not trust, naming both keys', () => {
    const other = keyPair();
    const { bytes } = bundle(other.priv);
    assert.throws(() => verifyBundle(bufferReader(bytes), [trusted]), (e: Error) => e.message.includes(other.trusted.id) && e.message.includes(trusted.id) && /does not trust/.test(e.message));
  });

  it('refuses a signed manifest whose size disagrees with the part', () => {
    const { bytes } = bundle(priv, (m) => { m.parts.vmlinuz.size += 1; });
    assert.throws(() => verifyBundle(bufferReader(bytes), [trusted]), /vmlinuz is \d+ bytes; the signed manifest says/);
  });

  it('refuses a truncated bundle and a foreign tar', () => {
    const { bytes } = bundle(priv);
    assert.throws(() => verifyBundle(bufferReader(bytes.subarray(0, bytes.length - 2000)), [trusted]), /truncated/);
    assert.throws(() => verifyBundle(bufferReader(tar([['hello.txt', Buffer.from('hi')]])), [trusted]), /holds hello\.txt; a bundle holds manifest\.json/);
    assert.throws(() => verifyBundle(bufferReader(Buffer.alloc(100, 7)), [trusted]), /truncated|not a ros bundle/);
  });

  it('reports progress while hashing', () => {
    const seen: string[] = [];
    verifyBundle(bufferReader(bundle(priv).bytes), [trusted], (part, done, total) => seen.push(`${part} ${done}/${total}`));
    assert.ok(seen.includes(`initrd.img ${initrd.length}/${initrd.length}`));
  });
});

describe('upgrade: keys', () => {
  it('refuses a key that is not an ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.match((trustedKey(rsa, 'k.pem') as { error: string }).error, /k\.pem: an rsa key/);
    assert.match((trustedKey('junk', 'rancher.upgrade.keys[0]') as { error: string }).error, /rancher\.upgrade\.keys\[0\]: not a PEM/);
  });

  it('gives a key the same id whoever computes it', () => {
    const { priv, trusted } = keyPair();
    assert.equal(signManifest(Buffer.from('x'), priv).key, trusted.id);
    assert.match(trusted.id, /^[0-9a-f]{16}$/);
  });
});
