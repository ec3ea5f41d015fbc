// Ed25519 signatures of bundle manifests, with node:crypto alone. A key is
// known by its id: the first 16 hex digits of the sha256 of the raw 32-byte
// public key, short enough to print and compare by eye.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export interface Signature {
  alg: 'ed25519';
  key: string;
  /** base64 */
  sig: string;
}

export interface TrustedKey {
  id: string;
  key: KeyObject;
  /** Where the key came from (a file, rancher.upgrade.keys[n]), for messages. */
  from: string;
}

export function keyId(publicKey: KeyObject): string {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  // The raw key is the last 32 bytes of an Ed25519 SubjectPublicKeyInfo.
  return createHash('sha256').update(spki.subarray(spki.length - 32)).digest('hex').slice(0, 16);
}

/** A PEM public key (SPKI) as a trusted key, or why it is not one. */
export function trustedKey(pem: string, from: string): TrustedKey | { error: string } {
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') return { error: `${from}: an ${key.asymmetricKeyType ?? 'unknown'} key; bundles are signed with ed25519` };
    return { id: keyId(key), key, from };
  } catch (err) {
    return { error: `${from}: not a PEM public key (${(err as Error).message})` };
  }
}

/** Signs the manifest bytes with a PKCS#8 PEM Ed25519 private key. */
export function signManifest(manifest: Buffer, privatePem: string): Signature {
  const priv = createPrivateKey(privatePem);
  if (priv.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${priv.asymmetricKeyType ?? 'unknown'}, not ed25519`);
  return { alg: 'ed25519', key: keyId(createPublicKey(priv)), sig: sign(null, manifest, priv).toString('base64') };
}

export function encodeSignature(s: Signature): Buffer {
  return Buffer.from(`${JSON.stringify(s)}\n`);
}

/** How messages name what is signed: a bundle's manifest by default; a delta's descriptor, a channel index. */
export interface SignedNames {
  thing: string;
  file: string;
  sig: string;
}
const BUNDLE_NAMES: SignedNames = { thing: 'the bundle', file: 'manifest.json', sig: 'manifest.sig' };

/** null when `sigBytes` is a valid signature of `manifest` by one of `trusted`, else why not. */
export function checkSignature(manifest: Buffer, sigBytes: Buffer, trusted: TrustedKey[], names: SignedNames = BUNDLE_NAMES): string | null {
  let s: Partial<Signature>;
  try {
    s = JSON.parse(sigBytes.toString('utf8')) as Partial<Signature>;
  } catch {
    return `${names.sig} is not JSON`;
  }
  if (s.alg !== 'ed25519' || typeof s.key !== 'string' || typeof s.sig !== 'string') return `${names.sig} is not an ed25519 signature`;
  const ids = trusted.map((k) => k.id).join(', ') || 'none';
  const key = trusted.find((k) => k.id === s.key);
  if (!key) return `${names.thing} is signed by key ${s.key}, which this node does not trust (trusted: ${ids})`;
  if (!verify(null, manifest, key.key, Buffer.from(s.sig, 'base64'))) {
    return `the signature of ${names.file} does not verify with key ${key.id} (${key.from}): ${names.file} was altered or the signature is not its own`;
  }
  return null;
}
