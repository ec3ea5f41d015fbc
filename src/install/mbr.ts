// The MBR `ros install` writes: syslinux' boot code, then one active Linux
// partition from 1 MiB to the end of the disk. BIOS boots the active
// partition's boot sector, which extlinux installs.

export const SECTOR = 512;
/** The partition starts at 1 MiB: aligned for every disk and leaves room for boot code. */
export const PART_START_SECTOR = 2048;
const BOOT_CODE_MAX = 440;
const TABLE_OFFSET = 446;
const LINUX = 0x83;
const ACTIVE = 0x80;
// CHS fields are obsolete; "beyond 1024 cylinders" tells every reader to use LBA.
const CHS_MAX = [0xfe, 0xff, 0xff];

export interface Partition {
  startSector: number;
  sectors: number;
}

/** Pure: the single partition that fills a disk of `diskBytes`. */
export function wholeDiskPartition(diskBytes: number): Partition {
  const total = Math.floor(diskBytes / SECTOR);
  const sectors = Math.min(total - PART_START_SECTOR, 0xffffffff);
  if (sectors <= 0) throw new Error(`a disk of ${diskBytes} bytes has no room for a partition after the first MiB`);
  return { startSector: PART_START_SECTOR, sectors };
}

/** Pure: sector 0 with `bootCode` (at most 440 bytes), one active Linux partition and the 0x55AA signature. */
export function buildMbr(bootCode: Buffer, part: Partition): Buffer {
  if (bootCode.length > BOOT_CODE_MAX) throw new Error(`MBR boot code is ${bootCode.length} bytes; at most ${BOOT_CODE_MAX} fit`);
  const mbr = Buffer.alloc(SECTOR);
  bootCode.copy(mbr, 0);
  const e = TABLE_OFFSET;
  mbr[e] = ACTIVE;
  Buffer.from(CHS_MAX).copy(mbr, e + 1);
  mbr[e + 4] = LINUX;
  Buffer.from(CHS_MAX).copy(mbr, e + 5);
  mbr.writeUInt32LE(part.startSector, e + 8);
  mbr.writeUInt32LE(part.sectors, e + 12);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

/** Pure: the partitions an MBR lists (type ≠ 0), for checks and tests. */
export function readMbr(sector: Buffer): (Partition & { type: number; active: boolean })[] {
  if (sector.length < SECTOR || sector[510] !== 0x55 || sector[511] !== 0xaa) return [];
  const out: (Partition & { type: number; active: boolean })[] = [];
  for (let i = 0; i < 4; i++) {
    const e = TABLE_OFFSET + 16 * i;
    const type = sector[e + 4] ?? 0;
    if (type === 0) continue;
    out.push({ type, active: sector[e] === ACTIVE, startSector: sector.readUInt32LE(e + 8), sectors: sector.readUInt32LE(e + 12) });
  }
  return out;
}
