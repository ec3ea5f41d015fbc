// The bundle container: a plain POSIX ustar archive, so `tar tvf` shows what a
// bundle holds. Pure: headers in and out; reading the data is the caller's.
// Only what bundles need: regular files with short names, no links, no pax.

export const BLOCK = 512;

export interface TarMember {
  name: string;
  size: number;
  /** Byte offset of the member's data in the archive. */
  offset: number;
}

function octal(buf: Buffer, at: number, len: number, value: number): void {
  buf.write(value.toString(8).padStart(len - 1, '0'), at, len - 1, 'ascii');
}

/** Pure: the 512-byte ustar header of a regular file (mode 0644, owner root, mtime 0: reproducible). */
export function tarHeader(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 99 || !/^[\w.-]+$/.test(name)) throw new Error(`tar member name ${JSON.stringify(name)} is not a short plain name`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 'ascii');
  octal(h, 100, 8, 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, 0);
  h.write('0', 156, 'ascii');
  h.write('ustar\x0000', 257, 'ascii');
  // The checksum is computed with its own field read as eight spaces.
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** Pure: zero bytes that pad `size` bytes of data to a whole block. */
export function padding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** The end of an archive: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

function readOctal(h: Buffer, at: number, len: number): number {
  const text = h.toString('ascii', at, at + len).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]+$/.test(text)) return NaN;
  return parseInt(text, 8);
}

/**
 * Pure: the member a header block describes, null at the end of the archive,
 * or a string saying what is wrong. `offset` is where the header starts.
 */
export function parseHeader(h: Buffer, offset: number): TarMember | null | string {
  if (h.length < BLOCK) return `the archive ends inside a header at byte ${offset}`;
  if (h.every((b) => b === 0)) return null;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  if (readOctal(h, 148, 8) !== sum) return `bad tar header checksum at byte ${offset}`;
  const type = String.fromCharCode(h[156] ?? 0);
  const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
  if (type !== '0' && type !== '\0') return `tar member ${name} is not a regular file (type ${JSON.stringify(type)})`;
  const size = readOctal(h, 124, 12);
  if (!Number.isSafeInteger(size)) return `tar member ${name} has an unreadable size`;
  return { name, size, offset: offset + BLOCK };
}

/** Pure: where the header after `m` starts. */
export function nextHeader(m: TarMember): number {
  return m.offset + m.size + padding(m.size).length;
}
