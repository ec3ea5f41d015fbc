// The MBR `ros install` writes: the partition table of the A/B layout
// (docs/architecture.md, "The disk") — an EFI system partition, then the
// RANCHER_STATE partition to the end. The boot code is GRUB's, written by
// grub-install, which keeps the table.

export const SECTOR = 512;
/** The partition starts at 1 MiB: aligned for every disk and leaves room for boot code. */
export const PART_START_SECTOR = 2048;
const BOOT_CODE_MAX = 440;
const TABLE_OFFSET = 446;
export const LINUX = 0x83;
/** An EFI system partition on an MBR disk: UEFI firmware boots from it. */
export const ESP = 0xef;
const ACTIVE = 0x80;
/** The ESP holds only GRUB's EFI image; 64 MiB is the least that takes FAT32, which UEFI prefers. */
export const ESP_SECTORS = (64 << 20) / 512;
// CHS fields are obsolete; "beyond 1024 cylinders" tells every reader to use LBA.
const CHS_MAX = [0xfe, 0xff, 0xff];

export interface Partition {
  startSector: number;
  sectors: number;
  type: number;
  active: boolean;
}

/**
 * Pure: the A/B layout of a disk of `diskBytes`: the ESP at 1 MiB (the gap
 * before it holds GRUB's BIOS core image), then RANCHER_STATE to the end,
 * active for BIOSes that insist on one.
 */
export function abLayout(diskBytes: number): [Partition, Partition] {
  const total = Math.floor(diskBytes / SECTOR);
  const stateStart = PART_START_SECTOR + ESP_SECTORS;
  const sectors = Math.min(total - stateStart, 0xffffffff);
  if (sectors <= 0) throw new Error(`a disk of ${diskBytes} bytes has no room for the state partition after the first ${stateStart / 2048} MiB`);
  return [
    { startSector: PART_START_SECTOR, sectors: ESP_SECTORS, type: ESP, active: false },
    { startSector: stateStart, sectors, type: LINUX, active: true },
  ];
}

/** Pure: sector 0 with `bootCode` (at most 440 bytes), the partitions and the 0x55AA signature. */
export function buildMbr(bootCode: Buffer, parts: Partition[]): Buffer {
  if (bootCode.length > BOOT_CODE_MAX) throw new Error(`MBR boot code is ${bootCode.length} bytes; at most ${BOOT_CODE_MAX} fit`);
  if (parts.length > 4) throw new Error('an MBR holds at most 4 partitions');
  const mbr = Buffer.alloc(SECTOR);
  bootCode.copy(mbr, 0);
  parts.forEach((part, i) => {
    const e = TABLE_OFFSET + 16 * i;
    mbr[e] = part.active ? ACTIVE : 0;
    Buffer.from(CHS_MAX).copy(mbr, e + 1);
    mbr[e + 4] = part.type;
    Buffer.from(CHS_MAX).copy(mbr, e + 5);
    mbr.writeUInt32LE(part.startSector, e + 8);
    mbr.writeUInt32LE(part.sectors, e + 12);
  });
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

/** Pure: the partitions an MBR lists (type ≠ 0), for checks and tests. */
export function readMbr(sector: Buffer): Partition[] {
  if (sector.length < SECTOR || sector[510] !== 0x55 || sector[511] !== 0xaa) return [];
  const out: Partition[] = [];
  for (let i = 0; i < 4; i++) {
    const e = TABLE_OFFSET + 16 * i;
    const type = sector[e + 4] ?? 0;
    if (type === 0) continue;
    out.push({ type, active: sector[e] === ACTIVE, startSector: sector.readUInt32LE(e + 8), sectors: sector.readUInt32LE(e + 12) });
  }
  return out;
}
