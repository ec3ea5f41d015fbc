// Turns a position-independent x86-64 executable into a fixed-address one by
// doing, once at build time, the relocation work its dynamic loader would do
// at every start (docs/architecture.md, "Engine binaries at a fixed address").
//
// Debian builds dockerd and the docker CLI as PIE: dockerd carries 342,000
// R_X86_64_RELATIVE relocations over a 31 MB .data.rel.ro, so every dockerd
// start rewrites those pages and each daemon keeps them as 30 MB of private
// memory; containerd and runc, built without PIE, have none. Here the image is
// rebased to BASE, every RELATIVE relocation is applied into the file and
// dropped, and the ELF type becomes ET_EXEC: the loader then only binds the
// few libc symbols, and the data pages stay clean, shared page cache.
//
// Pure: a Buffer in, a new Buffer out. Anything it does not understand (REL
// tables, a relocation type other than the ones listed) is an error, never a
// guess.

/** Where the image is placed: the usual x86-64 executable base. */
export const BASE = 0x400000n;

const ET_EXEC = 2;
const ET_DYN = 3;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const SHF_ALLOC = 2n;
const SHN_UNDEF = 0;
const SHN_ABS = 0xfff1;
const SHT_DYNSYM = 11;
const STT_TLS = 6;

const DT = {
  NULL: 0n, PLTRELSZ: 2n, PLTGOT: 3n, HASH: 4n, STRTAB: 5n, SYMTAB: 6n, RELA: 7n, RELASZ: 8n, RELAENT: 9n,
  INIT: 12n, FINI: 13n, REL: 17n, JMPREL: 23n, INIT_ARRAY: 25n, FINI_ARRAY: 26n, FLAGS: 30n, PREINIT_ARRAY: 32n,
  GNU_HASH: 0x6ffffef5n, VERSYM: 0x6ffffff0n, RELACOUNT: 0x6ffffff9n, FLAGS_1: 0x6ffffffbn, VERDEF: 0x6ffffffcn, VERNEED: 0x6ffffffen,
};
/** Dynamic entries whose value is an address in the image. */
const DT_ADDRESSES = new Set([DT.PLTGOT, DT.HASH, DT.STRTAB, DT.SYMTAB, DT.RELA, DT.INIT, DT.FINI, DT.REL, DT.JMPREL,
  DT.INIT_ARRAY, DT.FINI_ARRAY, DT.PREINIT_ARRAY, DT.GNU_HASH, DT.VERSYM, DT.VERDEF, DT.VERNEED]);
const DF_1_PIE = 0x08000000n;

const R = { X86_64_64: 1, GLOB_DAT: 6, JUMP_SLOT: 7, RELATIVE: 8, DTPMOD64: 16, DTPOFF64: 17, TPOFF64: 18, IRELATIVE: 37 };
/** Relocations left to the loader: only their place moves (IRELATIVE's addend is an address too). */
const KEPT = new Set([R.X86_64_64, R.GLOB_DAT, R.JUMP_SLOT, R.DTPMOD64, R.DTPOFF64, R.TPOFF64, R.IRELATIVE]);

interface Segment { type: number; offset: bigint; vaddr: bigint; filesz: bigint }

export interface UnpieResult {
  image: Buffer;
  /** RELATIVE relocations applied into the file. */
  applied: number;
  /** Relocations left for the loader. */
  kept: number;
}

/** Is `elf` a dynamically linked x86-64 PIE executable (ET_DYN with an interpreter)? */
export function isPie(elf: Buffer): boolean {
  if (elf.length < 64 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return false;
  if (elf.readUInt16LE(16) !== ET_DYN || elf.readUInt16LE(18) !== 62) return false;
  return segments(elf).some((s) => s.type === 3 /* PT_INTERP */);
}

function segments(elf: Buffer): Segment[] {
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  return Array.from({ length: elf.readUInt16LE(56) }, (_, i) => {
    const p = phoff + i * phentsize;
    return { type: elf.readUInt32LE(p), offset: elf.readBigUInt64LE(p + 8), vaddr: elf.readBigUInt64LE(p + 16), filesz: elf.readBigUInt64LE(p + 32) };
  });
}

/** The file offset of each section header (none when the file has no section table). */
function sectionHeaders(elf: Buffer): number[] {
  const shoff = Number(elf.readBigUInt64LE(40));
  const shentsize = elf.readUInt16LE(58);
  return shoff === 0 ? [] : Array.from({ length: elf.readUInt16LE(60) }, (_, i) => shoff + i * shentsize);
}

/** The file offset of image address `vaddr`, or null when no loaded file bytes hold it (e.g. .bss). */
function fileOffset(loads: Segment[], vaddr: bigint, size = 8n): number | null {
  for (const s of loads) {
    if (vaddr >= s.vaddr && vaddr + size <= s.vaddr + s.filesz) return Number(s.offset + (vaddr - s.vaddr));
  }
  return null;
}

function need(loads: Segment[], vaddr: bigint, what: string, size = 8n): number {
  const off = fileOffset(loads, vaddr, size);
  if (off === null) throw new Error(`unpie: ${what} at 0x${vaddr.toString(16)} is not in the file`);
  return off;
}

/** Where .dynsym lies in the file: its section header when there is one, else up to .dynstr. */
function dynsymRange(elf: Buffer, loads: Segment[], symtab: bigint | undefined, strtab: bigint | undefined): { start: number; end: number } {
  if (symtab === undefined) return { start: 0, end: 0 };
  for (const s of sectionHeaders(elf)) {
    if (elf.readUInt32LE(s + 4) === SHT_DYNSYM) {
      const start = Number(elf.readBigUInt64LE(s + 24));
      return { start, end: start + Number(elf.readBigUInt64LE(s + 32)) };
    }
  }
  // Without section headers: GNU ld and Go's linker put .dynstr right after .dynsym.
  if (strtab === undefined || strtab <= symtab) throw new Error('unpie: cannot bound .dynsym');
  const start = need(loads, symtab, 'the symbol table');
  return { start, end: start + Number(strtab - symtab) };
}

/** The section that starts at file offset `start` now holds `size` bytes (readelf and objdump read these). */
function setSectionSize(elf: Buffer, start: number, size: number): void {
  for (const s of sectionHeaders(elf)) {
    if (Number(elf.readBigUInt64LE(s + 24)) === start && elf.readUInt32LE(s + 4) === 4 /* SHT_RELA */) elf.writeBigUInt64LE(BigInt(size), s + 32);
  }
}

export function unpie(input: Buffer): UnpieResult {
  if (!isPie(input)) throw new Error('unpie: not a dynamically linked x86-64 PIE executable');
  const elf = Buffer.from(input);
  const all = segments(input);
  const loads = all.filter((s) => s.type === PT_LOAD);
  if (loads.some((s) => s.vaddr % 0x1000n !== s.offset % 0x1000n)) throw new Error('unpie: a segment is not page-congruent');
  const dynamic = all.find((s) => s.type === PT_DYNAMIC);
  if (!dynamic) throw new Error('unpie: no PT_DYNAMIC');

  // The dynamic section: its entries, and the places of the tables they name.
  const dynOff = Number(dynamic.offset);
  const dyn = new Map<bigint, { at: number; value: bigint }>();
  for (let at = dynOff; at + 16 <= dynOff + Number(dynamic.filesz); at += 16) {
    const tag = elf.readBigInt64LE(at);
    if (tag === DT.NULL) break;
    dyn.set(tag, { at, value: elf.readBigUInt64LE(at + 8) });
  }
  if (dyn.has(DT.REL)) throw new Error('unpie: REL relocations are not supported (x86-64 uses RELA)');

  // 1. Relocations: RELATIVE ones applied with the new base, the rest moved.
  let applied = 0;
  let kept = 0;
  const rewriteTable = (addrTag: bigint, sizeTag: bigint): void => {
    const addr = dyn.get(addrTag)?.value;
    const size = dyn.get(sizeTag)?.value ?? 0n;
    if (addr === undefined || size === 0n) return;
    const start = need(loads, addr, 'the relocation table', size);
    const keep: Buffer[] = [];
    const relative: Buffer[] = [];
    for (let at = start; at < start + Number(size); at += 24) {
      const offset = elf.readBigUInt64LE(at);
      const info = elf.readBigUInt64LE(at + 8);
      const addend = elf.readBigInt64LE(at + 16);
      const type = Number(info & 0xffffffffn);
      const entry = Buffer.alloc(24);
      entry.writeBigUInt64LE(offset + BASE, 0);
      entry.writeBigUInt64LE(info, 8);
      entry.writeBigInt64LE(addend, 16);
      if (type === R.RELATIVE) {
        const place = fileOffset(loads, offset);
        if (place !== null) {
          elf.writeBigUInt64LE(BigInt.asUintN(64, BASE + addend), place);
          applied++;
        } else {
          // In .bss: no file bytes to write into; the loader applies it (base 0) with the new addend.
          entry.writeBigInt64LE(addend + BASE, 16);
          relative.push(entry);
        }
        continue;
      }
      if (!KEPT.has(type)) throw new Error(`unpie: relocation type ${type} at 0x${offset.toString(16)} is not supported`);
      if (type === R.IRELATIVE) entry.writeBigInt64LE(addend + BASE, 16);
      if (type === R.JUMP_SLOT) {
        // Lazy binding: the loader adds its base (0 for ET_EXEC) to the GOT entry, which points back into the PLT.
        const place = fileOffset(loads, offset);
        if (place !== null) elf.writeBigUInt64LE(elf.readBigUInt64LE(place) + BASE, place);
      }
      keep.push(entry);
    }
    // Relative ones first, as DT_RELACOUNT promises; the freed tail is zeroed (it compresses to nothing).
    const table = Buffer.concat([...relative, ...keep]);
    elf.fill(0, start, start + Number(size));
    table.copy(elf, start);
    const sizeEntry = dyn.get(sizeTag);
    if (sizeEntry) elf.writeBigUInt64LE(BigInt(table.length), sizeEntry.at + 8);
    if (addrTag === DT.RELA) {
      const count = dyn.get(DT.RELACOUNT);
      if (count) elf.writeBigUInt64LE(BigInt(relative.length), count.at + 8);
    }
    setSectionSize(elf, start, table.length);
    kept += relative.length + keep.length;
  };
  rewriteTable(DT.RELA, DT.RELASZ);
  rewriteTable(DT.JMPREL, DT.PLTRELSZ);

  // 2. Defined dynamic symbols move with the image; undefined, absolute and
  // thread-local ones (an offset in the TLS block) do not.
  const dynsym = dynsymRange(elf, loads, dyn.get(DT.SYMTAB)?.value, dyn.get(DT.STRTAB)?.value);
  for (let at = dynsym.start + 24; at + 24 <= dynsym.end; at += 24) {
    const shndx = elf.readUInt16LE(at + 6);
    if (shndx === SHN_UNDEF || shndx === SHN_ABS || ((elf[at + 4] ?? 0) & 0xf) === STT_TLS) continue;
    elf.writeBigUInt64LE(elf.readBigUInt64LE(at + 8) + BASE, at + 8);
  }

  // 3. Dynamic entries that hold addresses; the PIE flag goes.
  for (const [tag, { at, value }] of dyn) {
    if (DT_ADDRESSES.has(tag) && value !== 0n) elf.writeBigUInt64LE(value + BASE, at + 8);
  }
  const f1 = dyn.get(DT.FLAGS_1);
  if (f1) elf.writeBigUInt64LE(f1.value & ~DF_1_PIE, f1.at + 8);

  // 4. Program headers (the kernel maps ET_EXEC segments exactly where they say), sections, entry.
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  for (let i = 0; i < all.length; i++) {
    const p = phoff + i * phentsize;
    if (elf.readUInt32LE(p) === 0x6474e551 /* PT_GNU_STACK */) continue;
    elf.writeBigUInt64LE(elf.readBigUInt64LE(p + 16) + BASE, p + 16);
    elf.writeBigUInt64LE(elf.readBigUInt64LE(p + 24) + BASE, p + 24);
  }
  for (const s of sectionHeaders(elf)) {
    const shFlags = elf.readBigUInt64LE(s + 8);
    const addr = elf.readBigUInt64LE(s + 16);
    if (shFlags & SHF_ALLOC && addr !== 0n) elf.writeBigUInt64LE(addr + BASE, s + 16);
  }
  elf.writeBigUInt64LE(elf.readBigUInt64LE(24) + BASE, 24);
  elf.writeUInt16LE(ET_EXEC, 16);
  return { image: elf, applied, kept };
}
