// Delta bundles (docs/architecture.md, "Delta bundles"): the parts of a
// release as binary patches (`zstd --patch-from`) against the parts of an
// older one. A delta carries the full bundle's own signed manifest, so what
// it rebuilds is checked against the same sha256s as a full download. Pure:
// the delta's descriptor and the choice between delta and full bundle.
import type { DeltaRef, Release } from './channel';
import { MANIFEST, PARTS, SIGNATURE, type PartDigest, type PartName } from './manifest';

export const DELTA = 'delta.json';
export const DELTA_SIG = 'delta.sig';
export const patchName = (part: PartName): string => `${part}.patch`;
/** Every member of a delta bundle, in order: its descriptor, the target's manifest, the patches. */
export const DELTA_MEMBERS = [DELTA, DELTA_SIG, MANIFEST, SIGNATURE, ...PARTS.map(patchName)] as const;

export interface DeltaManifest {
  format: 1;
  kind: 'delta';
  /** The version the delta builds. */
  version: string;
  /** The version and exact parts it patches. */
  from: { version: string; parts: Record<PartName, PartDigest> };
  /** sha256 of the target's manifest.json bytes (in the delta, and in the full bundle). */
  target: string;
  /** The patch members. */
  patches: Record<PartName, PartDigest>;
  created: string;
}

const SHA256 = /^[0-9a-f]{64}$/;
const isDigest = (p: Partial<PartDigest> | undefined): boolean => !!p && Number.isSafeInteger(p.size) && (p.size ?? -1) >= 0 && typeof p.sha256 === 'string' && SHA256.test(p.sha256);

export function encodeDelta(d: DeltaManifest): Buffer {
  return Buffer.from(`${JSON.stringify(d, null, 2)}\n`);
}

/** Pure: the descriptor, or what is wrong with it. */
export function parseDelta(bytes: Buffer): { delta: DeltaManifest } | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return { error: `${DELTA} is not JSON: ${(err as Error).message}` };
  }
  const o = v as Partial<DeltaManifest> | null;
  if (typeof o !== 'object' || o === null || o.format !== 1 || o.kind !== 'delta') return { error: `${DELTA} is not a format-1 delta descriptor` };
  if (typeof o.version !== 'string' || typeof o.from?.version !== 'string' || typeof o.target !== 'string' || !SHA256.test(o.target)) {
    return { error: `${DELTA} needs version, from.version and target` };
  }
  for (const name of PARTS) {
    if (!isDigest(o.from.parts?.[name]) || !isDigest(o.patches?.[name])) return { error: `${DELTA}: part ${name} needs a base and a patch digest` };
  }
  return { delta: o as DeltaManifest };
}

/** What the node runs: its version and, when the slot's manifest says, the exact parts. */
export interface RunningParts {
  version: string;
  parts: Record<PartName, PartDigest> | null;
}

export type DownloadChoice = { kind: 'delta'; delta: DeltaRef; why: string } | { kind: 'full'; why: string };

/**
 * Pure: fetch a delta when the release has one from the running version and
 * the running slot's parts are known (they are the patch base); else the full
 * bundle. `failed` names deltas that already failed to apply this time.
 */
export function chooseDownload(release: Release, running: RunningParts, failed: readonly string[] = []): DownloadChoice {
  const delta = release.deltas.find((d) => d.from === running.version);
  if (!delta) {
    const from = release.deltas.map((d) => `v${d.from}`).join(', ');
    return { kind: 'full', why: from ? `v${release.version} has deltas from ${from} only; this node runs v${running.version}` : `v${release.version} has no delta` };
  }
  if (failed.includes(delta.file)) return { kind: 'full', why: `the delta ${delta.file} did not apply` };
  if (!running.parts) return { kind: 'full', why: `the running slot has no manifest, so its parts cannot be the base of a delta` };
  if (delta.size >= release.bundle.size) return { kind: 'full', why: `the delta is not smaller than the bundle` };
  return { kind: 'delta', delta, why: `a delta from v${running.version} (${(delta.size / 1048576).toFixed(1)} MiB instead of ${(release.bundle.size / 1048576).toFixed(1)} MiB)` };
}

/** Pure: null when `base` are the parts the delta patches, else why not. */
export function baseMismatch(d: DeltaManifest, base: Record<PartName, PartDigest>): string | null {
  for (const name of PARTS) {
    if (base[name].sha256 !== d.from.parts[name].sha256 || base[name].size !== d.from.parts[name].size) {
      return `the running slot's ${name} is not the one the delta from v${d.from.version} patches`;
    }
  }
  return null;
}
