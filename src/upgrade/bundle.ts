// Reading and checking a bundle (docs/architecture.md, "Bundles"). Every
// check runs before anything is written: the member list, the signature of
// the manifest by a trusted key, then the size and sha256 of every part.
// The bytes come through `Reader`, so this runs on a file, a download or a
// Buffer in a test alike.
import { createHash } from 'node:crypto';
import { MANIFEST, MEMBERS, PARTS, SIGNATURE, parseManifest, type Manifest, type PartName } from './manifest';
import { checkSignature, type TrustedKey } from './signature';
import { BLOCK, nextHeader, parseHeader, type TarMember } from './tar';

export interface Reader {
  size: number;
  read(offset: number, length: number): Buffer;
}

export interface VerifiedBundle {
  manifest: Manifest;
  manifestBytes: Buffer;
  signatureBytes: Buffer;
  /** Where each part's data lies in the bundle. */
  parts: Record<PartName, TarMember>;
}

/** The bundle is refused; nothing was written. */
export class BundleError extends Error {
  readonly exitCode = 1;
}

/** A manifest or signature larger than this is not one. */
const SMALL_MEMBER_MAX = 64 * 1024;
const CHUNK = 4 << 20;

export function bufferReader(buf: Buffer): Reader {
  return { size: buf.length, read: (offset, length) => buf.subarray(offset, offset + length) };
}

export function listMembers(r: Reader): TarMember[] {
  const out: TarMember[] = [];
  let at = 0;
  while (at + BLOCK <= r.size) {
    const m = parseHeader(r.read(at, BLOCK), at);
    if (typeof m === 'string') throw new BundleError(`not a ros bundle: ${m}`);
    if (m === null) return out;
    if (m.offset + m.size > r.size) throw new BundleError(`not a ros bundle: member ${m.name} is cut short (the file is truncated)`);
    out.push(m);
    at = nextHeader(m);
  }
  throw new BundleError('not a ros bundle: the archive has no end marker (the file is truncated)');
}

/** sha256 of a member's data, read in chunks. */
export function hashMember(r: Reader, m: TarMember, onChunk?: (done: number) => void): string {
  const h = createHash('sha256');
  for (let done = 0; done < m.size; ) {
    const n = Math.min(CHUNK, m.size - done);
    h.update(r.read(m.offset + done, n));
    done += n;
    onChunk?.(done);
  }
  return h.digest('hex');
}

/**
 * Checks a whole bundle: members, signature, every size and sha256.
 * Throws BundleError saying what is wrong; returns the verified manifest.
 */
export function verifyBundle(r: Reader, trusted: TrustedKey[], progress?: (part: PartName, done: number, total: number) => void): VerifiedBundle {
  const members = listMembers(r);
  const names = members.map((m) => m.name);
  if (names.join(' ') !== MEMBERS.join(' ')) {
    throw new BundleError(`not a ros bundle: it holds ${names.join(', ') || 'nothing'}; a bundle holds ${MEMBERS.join(', ')}, in that order`);
  }
  const byName = new Map(members.map((m) => [m.name, m]));
  const small = (name: string): Buffer => {
    const m = byName.get(name);
    if (!m || m.size > SMALL_MEMBER_MAX) throw new BundleError(`not a ros bundle: ${name} is larger than ${SMALL_MEMBER_MAX} bytes`);
    return Buffer.from(r.read(m.offset, m.size));
  };
  const manifestBytes = small(MANIFEST);
  const signatureBytes = small(SIGNATURE);
  // The signature first: nothing in an unsigned manifest is worth reading.
  const bad = checkSignature(manifestBytes, signatureBytes, trusted);
  if (bad) throw new BundleError(`refused: ${bad}`);
  const parsed = parseManifest(manifestBytes);
  if ('error' in parsed) throw new BundleError(`refused: ${parsed.error}`);
  const { manifest } = parsed;
  const parts = {} as Record<PartName, TarMember>;
  for (const name of PARTS) {
    const m = byName.get(name) as TarMember;
    const want = manifest.parts[name];
    if (m.size !== want.size) throw new BundleError(`refused: ${name} is ${m.size} bytes; the signed manifest says ${want.size}`);
    const got = hashMember(r, m, progress && ((done) => progress(name, done, m.size)));
    if (got !== want.sha256) throw new BundleError(`refused: the sha256 of ${name} is ${got}; the signed manifest says ${want.sha256} (the bundle is corrupt or was altered)`);
    parts[name] = m;
  }
  return { manifest, manifestBytes, signatureBytes, parts };
}
