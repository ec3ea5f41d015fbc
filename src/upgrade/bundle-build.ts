// Writing a bundle (`make release`): the manifest of the parts, its
// signature, and the tar around them. The parts are streamed from files, so
// a 100 MiB initrd is never held in memory twice.
import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { commitFile } from '../sys/atomic-write';
import { MANIFEST, PARTS, SIGNATURE, encodeManifest, makeManifest, type Manifest, type PartName } from './manifest';
import { encodeSignature, signManifest } from './signature';
import { TAR_END, padding, tarHeader } from './tar';

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export interface BundleInput {
  version: string;
  commit: string;
  files: Record<PartName, string>;
  privateKeyPem: string;
  out: string;
}

export async function buildBundle(inp: BundleInput): Promise<Manifest> {
  const digests = {} as Manifest['parts'];
  for (const name of PARTS) digests[name] = { size: statSync(inp.files[name]).size, sha256: await sha256File(inp.files[name]) };
  const manifest = makeManifest(inp.version, inp.commit, new Date(), digests);
  const manifestBytes = encodeManifest(manifest);
  const sigBytes = encodeSignature(signManifest(manifestBytes, inp.privateKeyPem));
  writeTar(inp.out, [{ name: MANIFEST, bytes: manifestBytes }, { name: SIGNATURE, bytes: sigBytes }, ...PARTS.map((name) => ({ name, file: inp.files[name] }))]);
  return manifest;
}

/** A member of a tar written by writeTar: bytes in memory, or a file streamed in. */
export type TarInput = { name: string; bytes: Buffer } | { name: string; file: string };

/** Writes a ustar archive of `members`, in order, to `out` (by a temp name and rename). */
export function writeTar(out: string, members: TarInput[]): void {
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const put = (b: Buffer): void => void writeSync(fd, b);
    const buf = Buffer.alloc(4 << 20);
    for (const m of members) {
      if ('bytes' in m) {
        put(tarHeader(m.name, m.bytes.length));
        put(m.bytes);
        put(padding(m.bytes.length));
        continue;
      }
      const size = statSync(m.file).size;
      put(tarHeader(m.name, size));
      const src = openSync(m.file, 'r');
      try {
        for (let done = 0; done < size; ) {
          const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
          if (n === 0) throw new Error(`${m.file} shrank while it was archived`);
          writeSync(fd, buf, 0, n);
          done += n;
        }
      } finally {
        closeSync(src);
      }
      put(padding(size));
    }
    put(TAR_END);
  } finally {
    closeSync(fd);
  }
  commitFile(tmp, out);
}
