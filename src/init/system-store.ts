// The system image store the image ships: system-docker's `image` and
// `overlay2` directories with the system images loaded, made at build time by
// the image's own dockerd (initramfs/build.ts). A data root that no dockerd
// has used yet gets it, so no boot pays for `docker load` of os-base
// (docs/architecture.md, "The system image store").
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runCaptured } from './children';

export const SYSTEM_STORE = '/usr/share/ros/system-docker';
/** Put in place in this order: dockerd finds images through `image`, so it comes last. */
export const SYSTEM_STORE_PARTS = ['overlay2', 'image'] as const;

/** Binds a layer's files from the store onto an empty directory of the data root. */
export type BindLayer = (from: string, to: string) => void;

export interface SeedOptions {
  store?: string;
  /**
   * From RAM (the data root is a new tmpfs each boot): layers' `diff`
   * directories are bound from the store, read in place, not copied. On a
   * state disk they are copied once: a bind would have to be made again at
   * every boot, from a store the next upgrade replaces.
   */
  bind?: BindLayer;
}

/** Copies one part with `cp -a`: Node's fs.cp, a few async calls per file, took 15 s for os-base under TCG. */
export async function copyTree(from: string, to: string): Promise<void> {
  const r = await runCaptured('cp', ['-a', from, to]);
  if (r.code !== 0) throw new Error(`copying the system image store: cp -a ${from}: ${r.out.trim() || `exit ${r.code}`}`);
}

/** `overlay2` without the layers' files: each `diff` an empty directory to bind onto. */
async function layerSkeleton(from: string, to: string): Promise<string[]> {
  const diffs: string[] = [];
  await mkdir(to);
  for (const name of await readdir(from)) {
    if (name === 'l') {
      await cp(join(from, name), join(to, name), { recursive: true, verbatimSymlinks: true });
      continue;
    }
    await mkdir(join(to, name));
    for (const f of await readdir(join(from, name))) {
      if (f === 'diff') {
        await mkdir(join(to, name, f));
        diffs.push(name);
      } else {
        await cp(join(from, name, f), join(to, name, f), { recursive: true, verbatimSymlinks: true });
      }
    }
  }
  return diffs;
}

/**
 * Puts the store into `dataRoot` when no dockerd has used it (no `image`
 * directory) and returns true; false when there is nothing to do. Each part
 * is made beside its place and renamed into it, `image` last, so a power cut
 * leaves either no store or a whole one; a data root without `image` has
 * never held a daemon's state, so what a cut left there is cleared first.
 */
export async function seedSystemStore(dataRoot: string, opts: SeedOptions = {}): Promise<boolean> {
  const store = opts.store ?? SYSTEM_STORE;
  if (!existsSync(join(store, 'image')) || existsSync(join(dataRoot, 'image'))) return false;
  const scratch = join(dataRoot, '.ros-store');
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true });
  let bound: string[] = [];
  for (const part of SYSTEM_STORE_PARTS) {
    await rm(join(dataRoot, part), { recursive: true, force: true });
    if (part === 'overlay2' && opts.bind) bound = await layerSkeleton(join(store, part), join(scratch, part));
    else await copyTree(join(store, part), join(scratch, part));
  }
  // The layers first: once `image` is in place, dockerd may use them.
  await rename(join(scratch, 'overlay2'), join(dataRoot, 'overlay2'));
  for (const layer of bound) opts.bind?.(join(store, 'overlay2', layer, 'diff'), join(dataRoot, 'overlay2', layer, 'diff'));
  await rename(join(scratch, 'image'), join(dataRoot, 'image'));
  await rm(scratch, { recursive: true, force: true });
  return true;
}
