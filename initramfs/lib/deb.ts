// Debian packages: resolve pinned versions, download with apt-get (no
// install), unpack with dpkg -x. Everything is cached under build/.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { progress, run } from './run';

export type Lock = Record<string, string>;

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
  writeFileSync(file, `# Debian package versions the image is built from (make lock rewrites it).\n${body}\n`);
}

export function candidateVersion(name: string): string {
  const out = run('apt-cache', ['policy', name]);
  const m = /Candidate:\s*(\S+)/.exec(out);
  if (!m?.[1] || m[1] === '(none)') throw new Error(`apt-cache policy ${name}: no candidate (run apt-get update?)`);
  return m[1];
}

/** Downloads name=version into `dir`, returning the .deb path. */
export function download(name: string, version: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const prefix = `${name}_${version.replace(/:/g, '%3a')}_`;
  const cached = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
  if (cached) return join(dir, cached);
  progress(`download ${name}=${version}`);
  run('apt-get', ['download', '-q', `${name}=${version}`], { cwd: dir });
  const got = readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.deb'));
  if (!got) throw new Error(`apt-get download ${name}=${version}: no .deb appeared in ${dir}`);
  return join(dir, got);
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

/** Resolves versions (lock first, candidate otherwise), downloads and unpacks every package. */
export function fetchPackages(names: string[], lockFile: string, cacheDir: string): Map<string, string> {
  const lock = readLock(lockFile);
  let changed = false;
  const roots = new Map<string, string>();
  for (const name of names) {
    let version = lock[name];
    if (!version) {
      version = candidateVersion(name);
      lock[name] = version;
      changed = true;
    }
    let deb: string;
    try {
      deb = download(name, version, join(cacheDir, 'debs'));
    } catch (err) {
      // The archive keeps only current versions: a pin that vanished is
      // reported loudly and replaced, so a security update cannot break the build.
      const now = candidateVersion(name);
      if (now === version) throw err;
      progress(`WARNING ${name}=${version} is no longer available; using ${now} (commit the updated packages.lock)`);
      lock[name] = now;
      changed = true;
      deb = download(name, now, join(cacheDir, 'debs'));
    }
    roots.set(name, unpack(deb, name, join(cacheDir, 'pkgs')));
  }
  if (changed) writeLock(lockFile, lock);
  return roots;
}
