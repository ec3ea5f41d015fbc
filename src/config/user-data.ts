// User-data and meta-data from a datasource (pure): decompression, what kind
// of payload it is, and the instance-id that decides what runs "once".
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { YAML_OPTIONS } from './yaml';

export type DatasourceSpec =
  | { kind: 'configdrive' }
  | { kind: 'nocloud' }
  | { kind: 'url'; url: string }
  | { kind: 'file'; path: string }
  | { kind: 'cmdline' };

export const DEFAULT_DATASOURCES = ['configdrive', 'nocloud'];

/** `configdrive`, `nocloud`, `url:<http…>`, `file:<path>`, `cmdline`; null for anything else. */
export function parseDatasource(spec: string): DatasourceSpec | null {
  if (spec === 'configdrive' || spec === 'nocloud' || spec === 'cmdline') return { kind: spec };
  if (spec.startsWith('url:') && /^https?:\/\//.test(spec.slice(4))) return { kind: 'url', url: spec.slice(4) };
  if (spec.startsWith('file:') && spec.slice(5).startsWith('/')) return { kind: 'file', path: spec.slice(5) };
  return null;
}

/** The URL of a `cloud-config-url=` cmdline word, if any. */
export function cmdlineUserDataUrl(words: string[]): string | null {
  const w = words.find((x) => x.startsWith('cloud-config-url='));
  return w ? w.slice('cloud-config-url='.length) : null;
}

export type Payload = { kind: 'cloud-config'; text: string } | { kind: 'script'; body: Buffer } | { kind: 'empty' } | { kind: 'unknown'; firstLine: string };

/** Gunzips when gzipped, then classifies by the first line. */
export function classifyUserData(raw: Buffer): Payload {
  let data = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      data = gunzipSync(raw);
    } catch (err) {
      return { kind: 'unknown', firstLine: `gzip data that does not decompress: ${(err as Error).message}` };
    }
  }
  const text = data.toString('utf8');
  if (text.trim() === '') return { kind: 'empty' };
  if (text.startsWith('#!')) return { kind: 'script', body: data };
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
