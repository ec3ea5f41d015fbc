// Writing a delta bundle (`make release FROM=<older bundle>`): a zstd patch
// per part against the older bundle's part, the new bundle's signed manifest,
// and a signed descriptor. Before it is written, the delta is applied once and
// must rebuild the new parts byte for byte. docs/architecture.md, "Delta bundles".
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hashMember, listMembers, type Reader } from './bundle';
import { sha256File, writeTar } from './bundle-build';
import { DELTA, DELTA_SIG, encodeDelta, patchName, type DeltaManifest } from './delta';
import { MANIFEST, PARTS, SIGNATURE, parseManifest, type Manifest, type PartDigest, type PartName } from './manifest';
import { encodeSignature, signManifest } from './signature';
import { fileReader } from './slot-files';
import type { TarMember } from './tar';
import { applyPatch, makePatch } from './zstd-patch';

interface OpenBundle {
  manifest: Manifest;
  manifestBytes: Buffer;
  signatureBytes: Buffer;
  reader: Reader;
  members: Map<string, TarMember>;
  close(): void;
}

/** Opens a full bundle made by `make release` (its signature is the node's business; its parts are checked here). */
function openBundle(path: string): OpenBundle {
  const fd = openSync(path, 'r');
  try {
    const reader = fileReader(fd, statSync(path).size);
    const members = new Map(listMembers(reader).map((m) => [m.name, m]));
    const bytes = (name: string): Buffer => {
      const m = members.get(name);
      if (!m) throw new Error(`${path}: no ${name}: not a ros bundle`);
      return Buffer.from(reader.read(m.offset, m.size));
    };
    const manifestBytes = bytes(MANIFEST);
    const parsed = parseManifest(manifestBytes);
    if ('error' in parsed) throw new Error(`${path}: ${parsed.error}`);
    for (const name of PARTS) {
      const m = members.get(name);
      if (!m || hashMember(reader, m) !== parsed.manifest.parts[name].sha256) throw new Error(`${path}: ${name} does not match its manifest`);
    }
    return { manifest: parsed.manifest, manifestBytes, signatureBytes: bytes(SIGNATURE), reader, members, close: () => closeSync(fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function extract(b: OpenBundle, name: PartName, to: string): void {
  const m = b.members.get(name) as TarMember;
  const fd = openSync(to, 'w', 0o600);
  try {
    for (let done = 0; done < m.size; ) {
      const chunk = b.reader.read(m.offset + done, Math.min(4 << 20, m.size - done));
      writeSync(fd, chunk);
      done += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

export interface DeltaBuildInput {
  /** The older full bundle: the base. */
  from: string;
  /** The new full bundle. */
  to: string;
  privateKeyPem: string;
  out: string;
  /** Scratch space for the unpacked parts. */
  workDir: string;
  progress(line: string): void;
}

export async function buildDelta(inp: DeltaBuildInput): Promise<DeltaManifest> {
  const from = openBundle(inp.from);
  const to = openBundle(inp.to);
  const work = join(inp.workDir, `delta-${from.manifest.version}-${to.manifest.version}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const patches = {} as Record<PartName, PartDigest>;
    for (const name of PARTS) {
      const [base, target, patch, rebuilt] = ['base', 'target', 'patch', 'rebuilt'].map((k) => join(work, `${name}.${k}`)) as [string, string, string, string];
      extract(from, name, base);
      extract(to, name, target);
      const t0 = Date.now();
      await makePatch(base, target, patch);
      // The proof a node relies on: the patch rebuilds the very bytes the signed manifest names.
      await applyPatch(base, patch, rebuilt);
      if ((await sha256File(rebuilt)) !== to.manifest.parts[name].sha256) throw new Error(`the patch of ${name} does not rebuild it: zstd is broken here`);
      patches[name] = { size: statSync(patch).size, sha256: await sha256File(patch) };
      inp.progress(`${name}: patch ${(patches[name].size / 1048576).toFixed(2)} MiB for ${(to.manifest.parts[name].size / 1048576).toFixed(1)} MiB (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const delta: DeltaManifest = {
      format: 1,
      kind: 'delta',
      version: to.manifest.version,
      from: { version: from.manifest.version, parts: from.manifest.parts },
      target: createHash('sha256').update(to.manifestBytes).digest('hex'),
      patches,
      created: new Date().toISOString(),
    };
    const deltaBytes = encodeDelta(delta);
    writeTar(inp.out, [
      { name: DELTA, bytes: deltaBytes },
      { name: DELTA_SIG, bytes: encodeSignature(signManifest(deltaBytes, inp.privateKeyPem)) },
      { name: MANIFEST, bytes: to.manifestBytes },
      { name: SIGNATURE, bytes: to.signatureBytes },
      ...PARTS.map((name) => ({ name: patchName(name), file: join(work, `${name}.patch`) })),
    ]);
    return delta;
  } finally {
    from.close();
    to.close();
    rmSync(work, { recursive: true, force: true });
  }
}
