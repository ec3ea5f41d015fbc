// `make lock`: re-resolves every package of initramfs/packages.ts against
// today's trixie and trixie-security and rewrites initramfs/packages.lock,
// printing what changed. `make image` then builds from the new pins.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Apt } from './lib/apt';
import { readLock, resolve, writeLock } from './lib/deb';
import { progress } from './lib/run';
import { PACKAGES } from './packages';
import { packageTable, withPackageTable } from './package-table';

const ROOT = join(__dirname, '..');
const LOCK = join(ROOT, 'initramfs/packages.lock');
const README = join(ROOT, 'README.md');

const apt = new Apt(join(ROOT, 'build/apt'));
apt.update();
const before = readLock(LOCK);
const after = resolve(apt, PACKAGES.map((p) => p.name));
writeLock(LOCK, after);
let changes = 0;
for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
  if (before[name] === after[name]) continue;
  changes++;
  progress(`${name}: ${before[name] ?? '(new)'} -> ${after[name] ?? '(removed)'}`);
}
progress(`initramfs/packages.lock: ${Object.keys(after).length} packages, ${changes} changed`);
writeFileSync(README, withPackageTable(readFileSync(README, 'utf8'), packageTable(PACKAGES, after)));
progress('README.md: package table rewritten');
