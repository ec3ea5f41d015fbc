// Reading a channel (docs/architecture.md, "Channels"): the signed index that
// rancher.upgrade.url names, and the delta or full bundle of a release it
// lists, downloaded to the state disk. Nothing is trusted before its
// signature verifies; a delta that fails in any way gives way to the full
// bundle.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadTo } from '../sys/download';
import { fetchUrl } from '../sys/fetch-url';
import { BundleError } from './bundle';
import { INDEX_SIG_SUFFIX, parseIndex, refUrl, type ChannelIndex, type FileRef, type Release } from './channel';
import { chooseDownload, type RunningParts } from './delta';
import { DeltaError, rebuildFromDelta } from './delta-apply';
import { checkSignature, type TrustedKey } from './signature';
import { openBundleSource, type BundleSource } from './source';

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url);
const localPath = (url: string): string => (/^file:/i.test(url) ? fileURLToPath(url) : url);

async function readSmall(url: string): Promise<Buffer> {
  if (isHttp(url)) return fetchUrl(url, 3, 30_000);
  return readFileSync(localPath(url));
}

/** Fetches and verifies the index; a bad signature is refused like a bad bundle. */
export async function fetchIndex(url: string, trusted: TrustedKey[]): Promise<ChannelIndex> {
  const abs = isHttp(url) || /^file:/i.test(url) ? url : `file://${url.startsWith('/') ? '' : `${process.cwd()}/`}${url}`;
  let bytes: Buffer;
  let sig: Buffer;
  try {
    [bytes, sig] = await Promise.all([readSmall(abs), readSmall(`${abs}${INDEX_SIG_SUFFIX}`)]);
  } catch (err) {
    throw new Error(`channel index ${url}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  const bad = checkSignature(bytes, sig, trusted, { thing: 'the channel index', file: 'the channel index', sig: `its ${INDEX_SIG_SUFFIX}` });
  if (bad) throw new BundleError(`refused: channel index ${url}: ${bad}`);
  const parsed = parseIndex(bytes);
  if ('error' in parsed) throw new BundleError(`refused: channel index ${url}: ${parsed.error}`);
  return parsed.index;
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The file a ref names, on the local disk: downloaded to `tmp` from http(s), used in place otherwise. Checked against the index. */
async function fetchRef(indexUrl: string, ref: FileRef, tmp: string, progress: (line: string) => void): Promise<string> {
  const url = refUrl(isHttp(indexUrl) ? indexUrl : new URL(indexUrl, 'file:///').toString(), ref.file);
  let path = localPath(url);
  if (isHttp(url)) {
    progress(`downloading ${url} (${(ref.size / 1048576).toFixed(1)} MiB)`);
    await downloadTo(url, tmp, progress);
    path = tmp;
  }
  if (!existsSync(path)) throw new Error(`${url}: not found`);
  const size = statSync(path).size;
  if (size !== ref.size) throw new Error(`${url} is ${size} bytes; the index says ${ref.size}`);
  const got = await sha256(path);
  if (got !== ref.sha256) throw new Error(`${url} has sha256 ${got}; the index says ${ref.sha256}`);
  return path;
}

export interface ReleaseSourceInput {
  indexUrl: string;
  release: Release;
  running: RunningParts;
  /** The running slot's directory: the base of a delta. */
  baseDir: string;
  trusted: TrustedKey[];
  /** Scratch space on the state disk. */
  dir: string;
  progress(line: string): void;
}

export type ReleaseSource = BundleSource & { via: 'delta' | 'full' };

/**
 * The full bundle of `release` as a BundleSource: rebuilt from a delta when
 * there is one for the running version, else downloaded. The caller verifies
 * it (signature, every sha256) exactly as a bundle named with --image.
 */
export async function openRelease(inp: ReleaseSourceInput): Promise<ReleaseSource> {
  mkdirSync(inp.dir, { recursive: true });
  const choice = chooseDownload(inp.release, inp.running);
  inp.progress(`v${inp.release.version}: ${choice.kind === 'delta' ? 'using' : 'full bundle:'} ${choice.why}`);
  if (choice.kind === 'delta' && inp.running.parts) {
    const deltaTmp = join(inp.dir, 'download.delta.tmp');
    const rebuilt = join(inp.dir, 'rebuilt.bundle.tmp');
    try {
      const path = await fetchRef(inp.indexUrl, choice.delta, deltaTmp, inp.progress);
      await rebuildFromDelta({ delta: path, baseDir: inp.baseDir, baseParts: inp.running.parts, trusted: inp.trusted, out: rebuilt, progress: inp.progress });
      inp.progress(`delta applied: v${inp.release.version} rebuilt; verifying it as a full bundle`);
      const src = await openBundleSource(rebuilt, inp.dir, inp.progress);
      return { via: 'delta', reader: src.reader, close: () => { src.close(); rmSync(rebuilt, { force: true }); } };
    } catch (err) {
      const why = err instanceof DeltaError ? err.message : (err as Error).message;
      inp.progress(`the delta failed (${why}); falling back to the full bundle`);
      rmSync(rebuilt, { force: true });
    } finally {
      rmSync(deltaTmp, { force: true });
    }
  }
  const bundleTmp = join(inp.dir, 'download.bundle.tmp');
  let path: string;
  try {
    path = await fetchRef(inp.indexUrl, inp.release.bundle, bundleTmp, inp.progress);
  } catch (err) {
    rmSync(bundleTmp, { force: true });
    throw new BundleError(`refused: ${(err as Error).message}`, { cause: err });
  }
  const src = await openBundleSource(path, inp.dir, inp.progress);
  return { via: 'full', reader: src.reader, close: () => { src.close(); rmSync(bundleTmp, { force: true }); } };
}
