// Disk images for e2e tests.
import { truncateSync, writeFileSync } from 'node:fs';

export const GiB = 1024 ** 3;

/** A sparse raw disk image of `bytes`, all zeros: what `rancher.state.autoformat` formats. */
export function blankDisk(file: string, bytes = 2 * GiB): string {
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
}
