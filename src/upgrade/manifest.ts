// A bundle's manifest: what version it is and the size and sha256 of every
// part. It is the only signed thing, so it must pin every other byte.
// Parsing returns errors as data: a bad bundle is a message, not a throw.

/** The parts of a bundle besides its manifest and signature, in archive order. */
export const PARTS = ['vmlinuz', 'initrd.img'] as const;
export type PartName = (typeof PARTS)[number];
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
/** Every member of a bundle, in the order it must have. */
export const MEMBERS = [MANIFEST, SIGNATURE, ...PARTS] as const;

export interface PartDigest {
  size: number;
  /** lower-case hex */
  sha256: string;
}

export interface Manifest {
  format: 1;
  version: string;
  commit: string;
  /** ISO 8601 */
  created: string;
  parts: Record<PartName, PartDigest>;
}

const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function makeManifest(version: string, commit: string, created: Date, parts: Record<PartName, PartDigest>): Manifest {
  return { format: 1, version, commit, created: created.toISOString(), parts };
}

/** Pure: the manifest bytes as signed (stable key order, one trailing newline). */
export function encodeManifest(m: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(m, null, 2)}\n`);
}

/** Pure: the manifest, or what is wrong with it. */
export function parseManifest(bytes: Buffer): { manifest: Manifest } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { error: `${MANIFEST} is not JSON: ${(err as Error).message}` };
  }
  const o = v as Partial<Manifest> | null;
  if (typeof o !== 'object' || o === null) return { error: `${MANIFEST} is not an object` };
  if (o.format !== 1) return { error: `${MANIFEST} has format ${JSON.stringify(o.format)}; this ros reads format 1` };
  if (typeof o.version !== 'string' || !VERSION.test(o.version)) return { error: `${MANIFEST}: version ${JSON.stringify(o.version)} is not x.y.z` };
  if (typeof o.commit !== 'string' || typeof o.created !== 'string') return { error: `${MANIFEST}: commit and created must be strings` };
  const parts = o.parts as Record<string, Partial<PartDigest>> | undefined;
  if (typeof parts !== 'object' || parts === null) return { error: `${MANIFEST} has no parts` };
  for (const name of PARTS) {
    const p = parts[name];
    if (!p || !Number.isSafeInteger(p.size) || (p.size ?? -1) < 0 || typeof p.sha256 !== 'string' || !SHA256.test(p.sha256)) {
      return { error: `${MANIFEST}: part ${name} needs a size and a sha256` };
    }
  }
  const extra = Object.keys(parts).filter((k) => !(PARTS as readonly string[]).includes(k));
  if (extra.length > 0) return { error: `${MANIFEST} names parts this ros does not know: ${extra.join(', ')}` };
  return { manifest: o as Manifest };
}

/**
 * Pure: -1, 0 or 1 comparing x.y.z versions in semver's order: a pre-release
 * sorts before its release, its dot-separated parts compare numbers as
 * numbers and before words (rc.2 < rc.10 < rc.a), and +build is ignored.
 */
export function compareVersions(a: string, b: string): number {
  const split = (v: string): [number[], string[]] => {
    const noBuild = v.split('+')[0] ?? '';
    const dash = noBuild.indexOf('-');
    const core = dash < 0 ? noBuild : noBuild.slice(0, dash);
    const pre = dash < 0 ? [] : noBuild.slice(dash + 1).split('.');
    return [core.split('.').map(Number), pre];
  };
  const [ca, pa] = split(a);
  const [cb, pb] = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (ca[i] ?? 0) - (cb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.length === 0 || pb.length === 0) return Math.sign(pb.length - pa.length);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Math.sign(Number(x) - Number(y));
    if (nx !== ny) return nx ? -1 : 1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
