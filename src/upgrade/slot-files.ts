// The slots and the GRUB environment on the state file system (effects).
// `stateRoot` is where RANCHER_STATE is mounted (/mnt/state on a node, a
// temp directory in tests). docs/architecture.md, "The disk".
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { atomicWrite, fsyncPath } from '../sys/atomic-write';
import type { Reader, VerifiedBundle } from './bundle';
import { BundleError } from './bundle';
import { GRUB_DIR, SLOTS_DIR, slotDir } from './grub-cfg';
import { GRUBENV_SIZE, encodeGrubenv, parseGrubenv } from './grubenv';
import { MANIFEST, PARTS, SIGNATURE, parseManifest, type Manifest, type PartName } from './manifest';
import { grubVars, slotEnv, type Slot, type SlotEnv } from './slots';

const CHUNK = 4 << 20;

export const grubenvPath = (stateRoot: string): string => join(stateRoot, GRUB_DIR, 'grubenv');

/** The slot variables on the disk, or why they cannot be read. */
export function readSlotEnv(stateRoot: string): SlotEnv | { error: string } {
  let block: Buffer;
  try {
    block = readFileSync(grubenvPath(stateRoot));
  } catch (err) {
    return { error: `${grubenvPath(stateRoot)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (is this disk installed with A/B slots?)` };
  }
  const vars = parseGrubenv(block);
  if ('error' in vars) return { error: `${grubenvPath(stateRoot)}: ${vars.error}` };
  const env = slotEnv(vars);
  return 'error' in env ? { error: `${grubenvPath(stateRoot)}: ${env.error}` } : env;
}

/**
 * Overwrites the environment block in place, keeping other programs'
 * variables. In place, not by rename: GRUB reads the file's blocks without
 * the ext4 journal, and a renamed file's new blocks may be invisible to it
 * (and the old ones reused). All of ros' variables sit in the first sector.
 */
export function writeSlotEnv(stateRoot: string, env: SlotEnv): void {
  const file = grubenvPath(stateRoot);
  if (!existsSync(file)) {
    // Only `ros install` creates it, on a fresh file system before GRUB ever ran.
    atomicWrite(file, encodeGrubenv(grubVars(env)));
    return;
  }
  const old = parseGrubenv(readFileSync(file));
  const block = encodeGrubenv({ ...('error' in old ? {} : old), ...grubVars(env) });
  const fd = openSync(file, 'r+');
  try {
    if (writeSync(fd, block, 0, GRUBENV_SIZE, 0) !== GRUBENV_SIZE) throw new Error(`${file}: short write`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The manifest of what a slot holds, or null when it holds nothing complete. */
export function slotManifest(stateRoot: string, slot: Slot): Manifest | null {
  try {
    const parsed = parseManifest(readFileSync(join(stateRoot, slotDir(slot), MANIFEST)));
    return 'manifest' in parsed ? parsed.manifest : null;
  } catch {
    return null;
  }
}

/** Copies one part from the bundle, hashing what it writes; throws if it is not what was verified. */
function copyPart(r: Reader, v: VerifiedBundle, name: PartName, to: string, progress: (line: string) => void): void {
  const m = v.parts[name];
  const fd = openSync(to, 'w', 0o644);
  const h = createHash('sha256');
  try {
    let next = 0;
    for (let done = 0; done < m.size; ) {
      const chunk = r.read(m.offset + done, Math.min(CHUNK, m.size - done));
      writeSync(fd, chunk);
      h.update(chunk);
      done += chunk.length;
      if (done >= next && m.size > 16 * CHUNK) {
        progress(`  ${name}: ${((done / m.size) * 100).toFixed(0)}%`);
        next += m.size / 4;
      }
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The bundle file could have changed since it was verified.
  const got = h.digest('hex');
  if (got !== v.manifest.parts[name].sha256) throw new BundleError(`refused: ${name} changed while it was copied (sha256 ${got}); the slot was not replaced`);
}

/**
 * Writes a verified bundle into `slot`, crash-safely: everything goes to
 * `.<slot>.new`, each file fsynced, then the directory is swapped in by two
 * renames and the slots directory fsynced. A crash leaves the old slot, no
 * slot, or the new one — never a mix — and the slot is not armed yet.
 */
export function writeSlot(stateRoot: string, slot: Slot, r: Reader, v: VerifiedBundle, progress: (line: string) => void): void {
  const slots = join(stateRoot, SLOTS_DIR);
  const tmp = join(slots, `.${slot}.new`);
  const old = join(slots, `.${slot}.old`);
  const final = join(stateRoot, slotDir(slot));
  rmSync(tmp, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    for (const name of PARTS) {
      progress(`writing ${name} (${(v.parts[name].size / 1048576).toFixed(1)} MiB) to slot ${slot}`);
      copyPart(r, v, name, join(tmp, name), progress);
    }
    // The manifest last: a slot with a manifest is a complete slot.
    atomicWrite(join(tmp, SIGNATURE), v.signatureBytes);
    atomicWrite(join(tmp, MANIFEST), v.manifestBytes);
    fsyncPath(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (existsSync(final)) renameSync(final, old);
  renameSync(tmp, final);
  fsyncPath(slots);
  rmSync(old, { recursive: true, force: true });
}

/** A Reader over an open file, for bundles on disk. */
export function fileReader(fd: number, size: number): Reader {
  return {
    size,
    read(offset, length) {
      const buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
  };
}
