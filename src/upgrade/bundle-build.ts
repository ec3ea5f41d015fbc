// Writing a bundle (`make release`): the manifest of the parts, its
// signature, and the tar around them. The parts are streamed from files, so
// a 100 MiB initrd is never held in memory twice.
import { closeSync, createReadStream, openSync, readSync, statSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { commitFile } from '../sys/atomic-write';
import { MANIFEST, PARTS, SIGNATURE, encodeManifest, makeManifest, type Manifest, type PartName } from './manifest';
import { encodeSignature, signManifest } from './signature';
import { TAR_END, padding, tarHeader } from './tar';

async function sha256File(path: string): Promise<string> {
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
  const tmp = `${inp.out}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const put = (b: Buffer): void => void writeSync(fd, b);
    for (const [name, bytes] of [[MANIFEST, manifestBytes], [SIGNATURE, sigBytes]] as const) {
      put(tarHeader(name, bytes.length));
      put(bytes);
      put(padding(bytes.length));
    }
    const buf = Buffer.alloc(4 << 20);
    for (const name of PARTS) {
      const size = digests[name].size;
      put(tarHeader(name, size));
      const src = openSync(inp.files[name], 'r');
      try {
        for (let done = 0; done < size; ) {
          const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
          if (n === 0) throw new Error(`${inp.files[name]} shrank while it was bundled`);
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
  commitFile(tmp, inp.out);
  return manifest;
}
