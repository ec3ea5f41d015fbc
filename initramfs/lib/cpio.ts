// A newc ("070701") cpio writer: the format the kernel unpacks into rootfs.
// Written here rather than shelling out so device nodes need no mknod (no
// root at build time) and the archive is byte-for-byte reproducible.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface CpioEntry {
  name: string; // without leading '/'
  mode: number; // full st_mode, type bits included
  data?: Buffer;
  rdevMajor?: number;
  rdevMinor?: number;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

const hex = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

export function cpioHeader(e: CpioEntry, ino: number): Buffer {
  const name = Buffer.from(`${e.name}\0`);
  const fields = [
    '070701', hex(ino), hex(e.mode), hex(0), hex(0), hex((e.mode & S_IFDIR) === S_IFDIR ? 2 : 1), hex(0),
    hex(e.data?.length ?? 0), hex(0), hex(0), hex(e.rdevMajor ?? 0), hex(e.rdevMinor ?? 0), hex(name.length), hex(0),
  ].join('');
  return Buffer.concat([Buffer.from(fields), name, Buffer.alloc(pad4(110 + name.length))]);
}

/** Serialises entries (and the trailer) through `write`. */
export function writeCpio(entries: Iterable<CpioEntry>, write: (b: Buffer) => void): void {
  let ino = 1;
  for (const e of entries) {
    write(cpioHeader(e, ino++));
    if (e.data && e.data.length > 0) {
      write(e.data);
      write(Buffer.alloc(pad4(e.data.length)));
    }
  }
  write(cpioHeader({ name: 'TRAILER!!!', mode: 0 }, 0));
}

/** Walks a staging directory in sorted order: parents before children. */
export function* treeEntries(root: string, prefix = ''): Generator<CpioEntry> {
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const full = join(root, rel);
    const st = lstatSync(full);
    if (st.isSymbolicLink()) yield { name: rel, mode: S_IFLNK | 0o777, data: Buffer.from(readlinkSync(full)) };
    else if (st.isDirectory()) {
      yield { name: rel, mode: S_IFDIR | (st.mode & 0o7777) };
      yield* treeEntries(root, rel);
    } else if (st.isFile()) yield { name: rel, mode: S_IFREG | (st.mode & 0o7777), data: readFileSync(full) };
  }
}

/**
 * Pure: the entries of a newc archive, up to its trailer (`make bench` takes
 * ros' own initrd apart to build its baseline). Data are views into `buf`.
 */
export function readCpio(buf: Buffer): CpioEntry[] {
  const out: CpioEntry[] = [];
  const field = (at: number, i: number) => parseInt(buf.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16);
  for (let at = 0; ; ) {
    if (buf.toString('latin1', at, at + 6) !== '070701') throw new Error(`cpio: no newc header at byte ${at}`);
    const [mode, size, rdevMajor, rdevMinor, nameSize] = [field(at, 1), field(at, 6), field(at, 9), field(at, 10), field(at, 11)];
    const nameEnd = at + 110 + nameSize;
    if (nameEnd > buf.length) throw new Error(`cpio: the entry at byte ${at} runs past the end of the archive`);
    const name = buf.toString('utf8', at + 110, nameEnd - 1);
    if (name === 'TRAILER!!!') return out;
    const dataAt = nameEnd + pad4(nameEnd);
    if (dataAt + size > buf.length) throw new Error(`cpio: ${name} runs past the end of the archive`);
    out.push({ name, mode, data: buf.subarray(dataAt, dataAt + size), ...(rdevMajor || rdevMinor ? { rdevMajor, rdevMinor } : {}) });
    at = dataAt + size + pad4(size);
  }
}
