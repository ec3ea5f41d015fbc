// The image's system image store merged into a data root a dockerd has used:
// after an upgrade the new system images are put beside the old ones the way
// `docker load` would, with system-docker stopped, so the image need not also
// ship them as tarballs (docs/architecture.md, "The system image store").
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SYSTEM_STORE, copyTree } from './system-store';

/** dockerd's image metadata of the overlay2 driver, under its data root. */
const META = 'image/overlay2';

type Repositories = Record<string, Record<string, string>>;

function readRepositories(path: string): Repositories {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { Repositories?: Repositories };
  return parsed.Repositories ?? {};
}

/** The store's references (`repo:tag` → image ID) that the data root lacks or points elsewhere. */
export function staleReferences(store: Repositories, data: Repositories): [repo: string, ref: string, id: string][] {
  const out: [string, string, string][] = [];
  for (const [repo, refs] of Object.entries(store)) {
    for (const [ref, id] of Object.entries(refs)) if (data[repo]?.[ref] !== id) out.push([repo, ref, id]);
  }
  return out;
}

/** Copies `from` to `to` through `scratch` and a rename, so a power cut leaves all of it or none. */
async function placeTree(from: string, to: string, scratch: string): Promise<void> {
  await rm(scratch, { recursive: true, force: true });
  await copyTree(from, scratch);
  await rename(scratch, to);
}

/**
 * Adds the store's layers and images that `dataRoot` lacks and points the
 * store's tags at them; returns the references it changed (none when the data
 * root has no image metadata, or has them all already). Layers first, then
 * image configs, then `repositories.json` by rename: dockerd reaches what is
 * new only through the last step, and a half-copied layer is a scratch
 * directory the next merge clears. Old images keep their old tags, as after
 * `docker load`. Only while no dockerd uses the data root.
 */
export async function mergeSystemStore(dataRoot: string, opts: { store?: string } = {}): Promise<string[]> {
  const store = opts.store ?? SYSTEM_STORE;
  const reposFile = join(dataRoot, META, 'repositories.json');
  if (!existsSync(join(store, META, 'repositories.json')) || !existsSync(reposFile)) return [];
  const have = readRepositories(reposFile);
  const stale = staleReferences(readRepositories(join(store, META, 'repositories.json')), have);
  if (stale.length === 0) return [];
  const scratch = join(dataRoot, '.ros-merge');
  await mkdir(join(dataRoot, 'overlay2', 'l'), { recursive: true });

  for (const chain of await readdir(join(store, META, 'layerdb/sha256'))) {
    const layerMeta = join(dataRoot, META, 'layerdb/sha256', chain);
    if (existsSync(layerMeta)) continue;
    const cacheId = (await readFile(join(store, META, 'layerdb/sha256', chain, 'cache-id'), 'utf8')).trim();
    const layer = join(dataRoot, 'overlay2', cacheId);
    if (!existsSync(layer)) {
      await placeTree(join(store, 'overlay2', cacheId), layer, scratch);
      // The short name dockerd gives overlayfs as a lower directory.
      const link = (await readFile(join(layer, 'link'), 'utf8')).trim();
      await rm(join(dataRoot, 'overlay2/l', link), { force: true });
      await symlink(`../${cacheId}/diff`, join(dataRoot, 'overlay2/l', link));
    }
    await mkdir(join(dataRoot, META, 'layerdb/sha256'), { recursive: true });
    await placeTree(join(store, META, 'layerdb/sha256', chain), layerMeta, scratch);
  }

  for (const kind of ['content', 'metadata'] as const) {
    const from = join(store, META, 'imagedb', kind, 'sha256');
    if (!existsSync(from)) continue;
    await mkdir(join(dataRoot, META, 'imagedb', kind, 'sha256'), { recursive: true });
    for (const id of await readdir(from)) {
      const to = join(dataRoot, META, 'imagedb', kind, 'sha256', id);
      if (!existsSync(to)) await placeTree(join(from, id), to, scratch);
    }
  }

  for (const [repo, ref, id] of stale) (have[repo] ??= {})[ref] = id;
  await writeFile(`${reposFile}.ros-tmp`, JSON.stringify({ Repositories: have }));
  await rename(`${reposFile}.ros-tmp`, reposFile);
  await rm(scratch, { recursive: true, force: true });
  return stale.map(([, ref]) => ref);
}
