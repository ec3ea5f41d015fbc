// Debian packages: pinned versions (initramfs/packages.lock), downloaded with
// the build's private apt (no install), unpacked with dpkg -x. Everything is
// cached under build/.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Apt } from './apt';
import { progress, run } from './run';

export type Lock = Record<string, string>;

/** The metapackage that names the current kernel of the suite; the lock pins both it and the kernel it names. */
export const KERNEL_META = 'linux-image-amd64';
const KERNEL_PKG = /^linux-image-\d\S*-amd64$/;

export function readLock(file: string): Lock {
  if (!existsSync(file)) return {};
  const lock: Lock = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([^\s#=]+)=(\S+)$/.exec(line.trim());
    if (m?.[1] && m[2]) lock[m[1]] = m[2];
  }
  return lock;
}

export function writeLock(file: string, lock: Lock): void {
  const body = Object.keys(lock).sort().map((k) => `${k}=${lock[k]}`).join('\n');
  writeFileSync(
    file,
    '# Debian 13 (trixie, trixie-security) package versions the image is built from.\n' +
      '# `make lock` re-resolves them against the archive of today (see README, Building).\n' +
      `${body}\n`,
  );
}

/** The kernel package (linux-image-<abi>-amd64) a lock pins. */
export function kernelPackage(lock: Lock): string {
  const name = Object.keys(lock).find((k) => KERNEL_PKG.test(k));
  if (!name) throw new Error(`the lock pins no kernel package (linux-image-*-amd64): run \`make lock\``);
  return name;
}

/** Pins every name at the suite's candidate version, the kernel metapackage expanded to its kernel. */
export function resolve(apt: Apt, names: string[]): Lock {
  const lock: Lock = Object.fromEntries(apt.candidates(names));
  const meta = lock[KERNEL_META];
  if (meta) {
    const kernel = apt.depends(KERNEL_META, meta).find((d) => KERNEL_PKG.test(d));
    if (!kernel) throw new Error(`${KERNEL_META}=${meta} depends on no linux-image-*-amd64`);
    lock[kernel] = apt.candidate(kernel);
  }
  return lock;
}

/** Unpacks a .deb once into `dir/<name>`, keyed by the .deb file name. */
export function unpack(deb: string, name: string, dir: string): string {
  const target = join(dir, name);
  const stamp = join(target, '.ros-deb');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === deb) return target;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  run('dpkg', ['-x', deb, target]);
  writeFileSync(stamp, deb);
  return target;
}

export interface Fetched {
  /** package name → the directory it is unpacked in */
  roots: Map<string, string>;
  /** the kernel package's name */
  kernel: string;
}

/**
 * Downloads and unpacks the pinned version of every package. A package the
 * lock lacks is resolved and added. A pin the archive no longer has (the
 * security suite keeps only the newest version) is replaced by the current
 * one with a loud warning, so a security update never breaks the build; the
 * rewritten lock is then to be committed.
 */
export function fetchPackages(names: string[], lockFile: string, buildDir: string): Fetched {
  const apt = new Apt(join(buildDir, 'apt'));
  const lock = readLock(lockFile);
  let changed = false;
  const unpinned = names.filter((n) => !lock[n]);
  if (unpinned.length > 0) {
    Object.assign(lock, resolve(apt, unpinned));
    changed = true;
  }
  const debs = join(buildDir, 'debs');
  const get = (name: string): string => {
    const pinned = lock[name] ?? '';
    try {
      return apt.download(name, pinned, debs);
    } catch (err) {
      if (apt.refresh()) {
        try {
          return apt.download(name, pinned, debs);
        } catch {
          /* gone from the archive: replaced below */
        }
      }
      const now = apt.candidate(name);
      if (now === pinned) throw err;
      progress(`WARNING ${name}=${pinned} is no longer in the archive; using ${now} (commit the updated initramfs/packages.lock)`);
      lock[name] = now;
      changed = true;
      return apt.download(name, now, debs);
    }
  };
  const roots = new Map<string, string>();
  for (const name of names) {
    if (name === KERNEL_META) continue; // only names the kernel
    roots.set(name, unpack(get(name), name, join(buildDir, 'pkgs')));
  }
  let kernel = kernelPackage(lock);
  try {
    roots.set(kernel, unpack(get(kernel), kernel, join(buildDir, 'pkgs')));
  } catch {
    // A kernel security update changes the package name (its ABI): follow the metapackage.
    for (const k of Object.keys(lock)) if (KERNEL_PKG.test(k)) delete lock[k];
    Object.assign(lock, resolve(apt, [KERNEL_META]));
    kernel = kernelPackage(lock);
    progress(`WARNING the pinned kernel is no longer in the archive; using ${kernel}=${lock[kernel]}`);
    changed = true;
    roots.set(kernel, unpack(get(kernel), kernel, join(buildDir, 'pkgs')));
  }
  if (changed) writeLock(lockFile, lock);
  return { roots, kernel };
}
