// Applying a delta bundle on the node (docs/architecture.md, "Delta
// bundles"): check its signature and the signed manifest it carries, patch
// the running slot's parts into a scratch directory on the state disk, and
// put them in an ordinary full bundle. That bundle then goes through the same
// verification as a downloaded one before any slot is written. Any failure
// is a DeltaError: the caller falls back to the full bundle.
import { closeSync, createReadStream, fstatSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { hashMember, listMembers, type Reader } from './bundle';
import { writeTar } from './bundle-build';
import { DELTA, DELTA_MEMBERS, DELTA_SIG, baseMismatch, parseDelta, patchName } from './delta';
import { MANIFEST, PARTS, SIGNATURE, parseManifest, type PartDigest, type PartName } from './manifest';
import { checkSignature, type TrustedKey } from './signature';
import { fileReader } from './slot-files';
import type { TarMember } from './tar';
import { applyPatch } from './zstd-patch';

/** The delta cannot be used; the full bundle can still be. */
export class DeltaError extends Error {}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function extract(r: Reader, m: TarMember, to: string): void {
  const fd = openSync(to, 'w', 0o600);
  try {
    for (let done = 0; done < m.size; ) {
      const chunk = r.read(m.offset + done, Math.min(4 << 20, m.size - done));
      writeSync(fd, chunk);
      done += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

export interface DeltaApplyInput {
  /** The downloaded delta bundle. */
  delta: string;
  /** The running slot's directory (its vmlinuz and initrd.img are the base) and the parts its manifest names. */
  baseDir: string;
  baseParts: Record<PartName, PartDigest>;
  trusted: TrustedKey[];
  /** Where the rebuilt full bundle is written (scratch files go beside it). */
  out: string;
  progress(line: string): void;
}

/** Rebuilds the full bundle of the delta's version at `out`; returns its version. */
export async function rebuildFromDelta(inp: DeltaApplyInput): Promise<string> {
  const fd = openSync(inp.delta, 'r');
  const work = `${inp.out}.parts`;
  try {
    const r = fileReader(fd, fstatSync(fd).size);
    let members: TarMember[];
    try {
      members = listMembers(r);
    } catch (err) {
      throw new DeltaError((err as Error).message.replace('ros bundle', 'ros delta bundle'));
    }
    const names = members.map((m) => m.name);
    if (names.join(' ') !== DELTA_MEMBERS.join(' ')) throw new DeltaError(`not a ros delta bundle: it holds ${names.join(', ') || 'nothing'}`);
    const byName = new Map(members.map((m) => [m.name, m]));
    const small = (name: string): Buffer => {
      const m = byName.get(name) as TarMember;
      if (m.size > 64 * 1024) throw new DeltaError(`not a ros delta bundle: ${name} is too large`);
      return Buffer.from(r.read(m.offset, m.size));
    };
    const deltaBytes = small(DELTA);
    const bad = checkSignature(deltaBytes, small(DELTA_SIG), inp.trusted, { thing: 'the delta', file: DELTA, sig: DELTA_SIG });
    if (bad) throw new DeltaError(`refused: ${bad}`);
    const parsed = parseDelta(deltaBytes);
    if ('error' in parsed) throw new DeltaError(`refused: ${parsed.error}`);
    const d = parsed.delta;
    const manifestBytes = small(MANIFEST);
    const signatureBytes = small(SIGNATURE);
    const badManifest = checkSignature(manifestBytes, signatureBytes, inp.trusted);
    if (badManifest) throw new DeltaError(`refused: ${badManifest}`);
    const manifest = parseManifest(manifestBytes);
    if ('error' in manifest) throw new DeltaError(`refused: ${manifest.error}`);
    if (createHash('sha256').update(manifestBytes).digest('hex') !== d.target || manifest.manifest.version !== d.version) {
      throw new DeltaError(`refused: the delta's descriptor does not name the manifest it carries`);
    }
    const mismatch = baseMismatch(d, inp.baseParts);
    if (mismatch) throw new DeltaError(mismatch);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const files = {} as Record<PartName, string>;
    for (const name of PARTS) {
      const m = byName.get(patchName(name)) as TarMember;
      const want = d.patches[name];
      if (m.size !== want.size || hashMember(r, m) !== want.sha256) throw new DeltaError(`the patch of ${name} is corrupt (its sha256 is not the signed one)`);
      const patch = join(work, `${name}.patch`);
      extract(r, m, patch);
      files[name] = join(work, name);
      try {
        await applyPatch(join(inp.baseDir, name), patch, files[name]);
      } catch (err) {
        throw new DeltaError((err as Error).message);
      }
      rmSync(patch, { force: true });
      const got = await sha256(files[name]);
      if (got !== manifest.manifest.parts[name].sha256) throw new DeltaError(`the patched ${name} has sha256 ${got}; the signed manifest says ${manifest.manifest.parts[name].sha256}`);
      inp.progress(`rebuilt ${name} of v${d.version} from slot's v${d.from.version} and a ${(want.size / 1048576).toFixed(2)} MiB patch`);
    }
    writeTar(inp.out, [{ name: MANIFEST, bytes: manifestBytes }, { name: SIGNATURE, bytes: signatureBytes }, ...PARTS.map((name) => ({ name, file: files[name] }))]);
    return d.version;
  } finally {
    closeSync(fd);
    rmSync(work, { recursive: true, force: true });
  }
}
