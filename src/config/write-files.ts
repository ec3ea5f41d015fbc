// write_files entries → bytes, mode, owner (pure). Errors are returned, not thrown.
import { gunzipSync } from 'node:zlib';
import type { WriteFile } from './types';

export type Decoded = { ok: true; data: Buffer; mode: number; owner: string; group: string } | { ok: false; error: string };

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

function b64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

export function decodeContent(content: string, encoding: WriteFile['encoding']): Buffer | string {
  const enc = encoding ?? 'text/plain';
  if (enc === 'text/plain') return Buffer.from(content);
  const gz = enc.startsWith('gz');
  const base = enc.includes('b64') || enc.includes('base64');
  let data: Buffer | null = base ? b64(content) : Buffer.from(content, 'latin1');
  if (!data) return `content is not valid base64 (encoding ${enc})`;
  if (gz) {
    try {
      data = gunzipSync(data);
    } catch (err) {
      return `content does not gunzip (encoding ${enc}): ${(err as Error).message}`;
    }
  }
  return data;
}

export function decodeWriteFile(f: WriteFile): Decoded {
  const data = decodeContent(f.content ?? '', f.encoding);
  if (typeof data === 'string') return { ok: false, error: data };
  const perm = f.permissions ?? '0644';
  if (!/^0?[0-7]{3,4}$/.test(perm)) return { ok: false, error: `permissions ${JSON.stringify(perm)} is not an octal mode like "0644"` };
  const [owner = 'root', group = owner] = (f.owner ?? 'root:root').split(':');
  return { ok: true, data, mode: parseInt(perm, 8), owner, group };
}

/** Pure: uid/gid of a name from passwd/group text, or a number given as such. */
export function lookupId(name: string, dbText: string): number | null {
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of dbText.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return null;
}
