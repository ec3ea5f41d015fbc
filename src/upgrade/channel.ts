// The channel index (docs/architecture.md, "Channels"): the signed list of
// releases `make release` publishes next to its bundles, which
// `rancher.upgrade.url` names. Pure: parsing, merging a new release in,
// picking the channel and the newest release of it.
import { compareVersions } from './manifest';

export const INDEX_FORMAT = 1;
/** The signature of an index is a file beside it, named like it plus this. */
export const INDEX_SIG_SUFFIX = '.sig';
/** What a node follows when neither the config nor the index says otherwise. */
export const DEFAULT_CHANNEL = 'stable';

/** A file published beside the index: its name relative to the index, size and sha256. */
export interface FileRef {
  file: string;
  size: number;
  /** lower-case hex */
  sha256: string;
}

/** A delta bundle: it turns the parts of version `from` into this release's. */
export interface DeltaRef extends FileRef {
  from: string;
}

export interface Release {
  version: string;
  channel: string;
  commit: string;
  /** ISO 8601 */
  created: string;
  /** Free text, shown by `ros os list`. */
  notes: string;
  bundle: FileRef;
  deltas: DeltaRef[];
}

export interface ChannelIndex {
  format: 1;
  /** Newest first. */
  releases: Release[];
}

const VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const CHANNEL = /^[a-z0-9][a-z0-9._-]*$/;
// Relative names only: an index never sends a node to another host.
const FILE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

function fileRefError(v: unknown, where: string): string | null {
  const o = v as Partial<FileRef> | null;
  if (typeof o !== 'object' || o === null) return `${where} is not an object`;
  if (typeof o.file !== 'string' || !FILE.test(o.file)) return `${where}.file ${JSON.stringify(o.file)} is not a plain file name beside the index`;
  if (!Number.isSafeInteger(o.size) || (o.size ?? -1) < 0) return `${where}.size is not a byte count`;
  if (typeof o.sha256 !== 'string' || !SHA256.test(o.sha256)) return `${where}.sha256 is not a sha256`;
  return null;
}

/** Pure: the index, or what is wrong with it. */
export function parseIndex(bytes: Buffer): { index: ChannelIndex } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { error: `the channel index is not JSON: ${(err as Error).message}` };
  }
  const o = v as Partial<ChannelIndex> | null;
  if (typeof o !== 'object' || o === null) return { error: 'the channel index is not an object' };
  if (o.format !== INDEX_FORMAT) return { error: `the channel index has format ${JSON.stringify(o.format)}; this ros reads format ${INDEX_FORMAT}` };
  if (!Array.isArray(o.releases)) return { error: 'the channel index has no releases list' };
  for (const [i, r] of (o.releases as Partial<Release>[]).entries()) {
    const at = `releases[${i}]`;
    if (typeof r !== 'object' || r === null) return { error: `${at} is not an object` };
    if (typeof r.version !== 'string' || !VERSION.test(r.version)) return { error: `${at}.version ${JSON.stringify(r.version)} is not x.y.z` };
    if (typeof r.channel !== 'string' || !CHANNEL.test(r.channel)) return { error: `${at}.channel ${JSON.stringify(r.channel)} is not a channel name` };
    for (const k of ['commit', 'created', 'notes'] as const) if (typeof r[k] !== 'string') return { error: `${at}.${k} is not a string` };
    const bad = fileRefError(r.bundle, `${at}.bundle`);
    if (bad) return { error: bad };
    if (!Array.isArray(r.deltas)) return { error: `${at}.deltas is not a list` };
    for (const [j, d] of (r.deltas as Partial<DeltaRef>[]).entries()) {
      const e = fileRefError(d, `${at}.deltas[${j}]`);
      if (e) return { error: e };
      if (typeof d.from !== 'string' || !VERSION.test(d.from)) return { error: `${at}.deltas[${j}].from ${JSON.stringify(d.from)} is not x.y.z` };
    }
  }
  return { index: { format: INDEX_FORMAT, releases: sortReleases(o.releases) } };
}

const sortReleases = (rs: Release[]): Release[] => [...rs].sort((a, b) => compareVersions(b.version, a.version) || a.channel.localeCompare(b.channel));

/** Pure: the index bytes as signed. */
export function encodeIndex(index: ChannelIndex): Buffer {
  return Buffer.from(`${JSON.stringify({ format: INDEX_FORMAT, releases: sortReleases(index.releases) }, null, 2)}\n`);
}

/**
 * Pure: `index` with `release` in it. A release of the same version replaces
 * the old entry, keeping the deltas it does not bring again (a delta from
 * another base made by an earlier `make release FROM=`) when its bundle is the
 * same file.
 */
export function withRelease(index: ChannelIndex | null, release: Release): ChannelIndex {
  const old = index?.releases.find((r) => r.version === release.version);
  const kept = old && old.bundle.sha256 === release.bundle.sha256 ? old.deltas.filter((d) => !release.deltas.some((n) => n.from === d.from)) : [];
  const merged = { ...release, deltas: [...release.deltas, ...kept].sort((a, b) => compareVersions(b.from, a.from)) };
  return { format: INDEX_FORMAT, releases: sortReleases([...(index?.releases ?? []).filter((r) => r.version !== release.version), merged]) };
}

export function channelsOf(index: ChannelIndex): string[] {
  return [...new Set(index.releases.map((r) => r.channel))].sort();
}

/**
 * Pure: the channel a node follows. A channel the config names must be in the
 * index; without one, an index of a single channel is followed whatever its
 * name, and one of several gives `stable`.
 */
export function pickChannel(index: ChannelIndex, wanted: string | undefined): { channel: string } | { error: string } {
  const all = channelsOf(index);
  if (wanted) return all.includes(wanted) ? { channel: wanted } : { error: `the index has no channel ${JSON.stringify(wanted)} (rancher.upgrade.channel); it has ${all.join(', ') || 'none'}` };
  if (all.length === 1) return { channel: all[0] as string };
  if (all.includes(DEFAULT_CHANNEL)) return { channel: DEFAULT_CHANNEL };
  return { error: `the index has several channels (${all.join(', ')}) and none is ${DEFAULT_CHANNEL}: set rancher.upgrade.channel` };
}

/** Pure: the releases of a channel, newest first. */
export const releasesIn = (index: ChannelIndex, channel: string): Release[] => sortReleases(index.releases.filter((r) => r.channel === channel));

export type UpdateChoice =
  | { kind: 'update'; release: Release }
  /** Nothing to do: `newest` is the newest release considered (null: the channel is empty). */
  | { kind: 'none'; newest: Release | null; why: string };

/**
 * Pure: what `ros os upgrade` without --image and the updater install: the
 * newest release of the channel when it is newer than the running version.
 * `skip` holds versions not to try again (their trial boot failed here).
 */
export function chooseUpdate(index: ChannelIndex, channel: string, running: string, skip: readonly string[] = []): UpdateChoice {
  const all = releasesIn(index, channel);
  const candidates = all.filter((r) => !skip.includes(r.version));
  const newest = candidates[0] ?? null;
  if (!newest) {
    if (all[0]) return { kind: 'none', newest: all[0], why: `v${all[0].version} of channel ${channel} failed its trial boot here before; not trying it again` };
    return { kind: 'none', newest: null, why: `channel ${channel} has no releases` };
  }
  if (compareVersions(newest.version, running) > 0) return { kind: 'update', release: newest };
  return { kind: 'none', newest, why: `v${running} is the newest of channel ${channel}` };
}

/** Pure: the URL of a file the index names, relative to the index's own URL. */
export function refUrl(indexUrl: string, file: string): string {
  return new URL(file, indexUrl).toString();
}

/** Pure: the rows of `ros os list`: the channel's versions newest first, the running one marked. */
export function listRows(index: ChannelIndex, channel: string, running: string): string[][] {
  const rows = releasesIn(index, channel).map((r) => {
    const cmp = compareVersions(r.version, running);
    const mark = cmp === 0 ? '* running' : cmp > 0 ? 'newer' : '';
    const deltas = r.deltas.map((d) => `v${d.from}`).join(', ');
    return [`v${r.version}`, mark, `${(r.bundle.size / 1048576).toFixed(1)} MiB`, deltas || '-', r.created.slice(0, 10), r.notes.split('\n')[0] ?? ''];
  });
  return [['VERSION', '', 'BUNDLE', 'DELTA FROM', 'DATE', 'NOTES'], ...rows];
}
