// User-data and meta-data from a datasource (pure): decompression, what kind
// of payload it is, and the instance-id that decides what runs "once".
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { isMultipart, parseMultipart } from './multipart';
import { YAML_OPTIONS } from './yaml';

export interface Multipart {
  kind: 'multipart';
  /** The text/cloud-config parts, in order. */
  cloudConfigs: { name: string; text: string }[];
  /** The text/x-shellscript parts, in order: run once per instance. */
  scripts: { name: string; body: Buffer }[];
  /** Parts of other types (boothooks, include-url, part-handlers…): reported, not applied. */
  ignored: string[];
}

export type Payload =
  | { kind: 'cloud-config'; text: string }
  | { kind: 'script'; body: Buffer }
  | Multipart
  | { kind: 'empty' }
  | { kind: 'unknown'; firstLine: string };

/** A gzip bomb stops here rather than filling PID 1's memory. */
const MAX_USER_DATA = 16 << 20;
const SCRIPT_TYPES = new Set(['text/x-shellscript', 'text/x-shellscript-per-instance', 'text/x-shellscript-per-once']);

function multipart(text: string): Payload {
  let parts;
  try {
    parts = parseMultipart(text);
  } catch (err) {
    return { kind: 'unknown', firstLine: (err as Error).message };
  }
  const out: Multipart = { kind: 'multipart', cloudConfigs: [], scripts: [], ignored: [] };
  parts.forEach((p, i) => {
    const name = p.filename ?? `part-${i + 1}`;
    if (p.type === 'text/cloud-config') out.cloudConfigs.push({ name, text: p.body.toString('utf8') });
    else if (SCRIPT_TYPES.has(p.type)) out.scripts.push({ name, body: p.body });
    else out.ignored.push(`${name} (${p.type})`);
  });
  return out;
}

/** Gunzips when gzipped, then classifies: a MIME multipart archive, or by the first line. */
export function classifyUserData(raw: Buffer): Payload {
  let data = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      data = gunzipSync(raw, { maxOutputLength: MAX_USER_DATA });
    } catch (err) {
      return { kind: 'unknown', firstLine: `gzip data that does not decompress: ${(err as Error).message}` };
    }
  }
  const text = data.toString('utf8');
  if (text.trim() === '') return { kind: 'empty' };
  if (text.startsWith('#!')) return { kind: 'script', body: data };
  if (isMultipart(text)) return multipart(text);
  const first = text.split('\n', 1)[0]?.trim() ?? '';
  if (first === '#cloud-config' || first.startsWith('#cloud-config')) return { kind: 'cloud-config', text };
  return { kind: 'unknown', firstLine: first.slice(0, 60) };
}

/** instance-id from OpenStack meta_data.json (`uuid`, else `instance-id`). */
export function configDriveInstanceId(metaJson: string | null): string | null {
  if (!metaJson) return null;
  try {
    const meta = JSON.parse(metaJson) as Record<string, unknown>;
    const id = meta.uuid ?? meta['instance-id'] ?? meta.instance_id;
    return typeof id === 'string' && id ? id : null;
  } catch {
    return null;
  }
}

/** instance-id from NoCloud meta-data (YAML `instance-id:`). */
export function noCloudInstanceId(metaYaml: string | null): string | null {
  if (!metaYaml) return null;
  try {
    const meta = parseYaml(metaYaml, YAML_OPTIONS) as Record<string, unknown> | null;
    const id = meta?.['instance-id'] ?? meta?.instance_id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

/**
 * Sources without meta-data (url, file, cmdline): the instance is the content,
 * so new user-data is a new instance and the same user-data is not.
 */
export function contentInstanceId(source: string, raw: Buffer): string {
  return `${source}-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}
