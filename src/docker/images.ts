// Loading docker-save tarballs into a daemon, checking every progress event:
// dockerode resolves loadImage when the stream starts, not when it worked.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';

export interface ImageIndexEntry {
  /** tarball file name, relative to the index */
  file: string;
  /** repo:tag the tarball carries */
  tag: string;
  /** image id (sha256 of the config) */
  id: string;
}

export function readImageIndex(dir: string): ImageIndexEntry[] {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { images: ImageIndexEntry[] };
  return index.images;
}

export async function imageId(docker: Docker, tag: string): Promise<string | null> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch {
    return null;
  }
}

export async function loadTarball(docker: Docker, path: string): Promise<void> {
  const stream = await docker.loadImage(createReadStream(path), { quiet: true });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: { error?: string; errorDetail?: { message?: string } }[]) => {
        const bad = events?.find((e) => e.error || e.errorDetail);
        if (err) reject(err);
        else if (bad) reject(new Error(`load ${path}: ${bad.error ?? bad.errorDetail?.message}`));
        else resolve();
      },
    );
  });
}

/** Loads the images of `dir/index.json` that are missing or differ; returns what it loaded. */
export async function ensureImages(docker: Docker, dir: string): Promise<string[]> {
  const loaded: string[] = [];
  for (const entry of readImageIndex(dir)) {
    if ((await imageId(docker, entry.tag)) === entry.id) continue;
    // An image whose system image store holds the image ships no tarball of it (initramfs/build.ts).
    if (!existsSync(join(dir, entry.file))) throw new Error(`${entry.tag} (${entry.id}) is not in the daemon and ${join(dir, entry.file)} is not there to load it from`);
    await loadTarball(docker, join(dir, entry.file));
    const id = await imageId(docker, entry.tag);
    if (id !== entry.id) throw new Error(`load ${entry.file}: expected ${entry.tag} to be ${entry.id}, found ${id ?? 'nothing'}`);
    loaded.push(entry.tag);
  }
  return loaded;
}
