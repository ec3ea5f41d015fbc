// A staging directory that becomes an image layer or the initramfs.
// Files come from unpacked packages; their shared libraries follow them.
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { run } from './run';

// usr/libexec/sudo: sudo's RUNPATH, where its private libsudo_util lives.
const LIB_DIRS = ['usr/lib/x86_64-linux-gnu', 'usr/lib64', 'usr/lib', 'usr/libexec/sudo'];

/**
 * Debian 13 is merged-/usr: packages ship /usr/bin, /usr/lib…, while ELF
 * interpreters, scripts and RancherOS habits still name /bin/sh, /sbin/… and
 * /lib64/ld-linux-x86-64.so.2. The trees are merged the same way (these are
 * relative symlinks), so both spellings name one file.
 */
const MERGED = ['bin', 'sbin', 'lib', 'lib64'];

/** `/bin/x` → `/usr/bin/x`; other paths unchanged. */
export function usrPath(p: string): string {
  const top = p.replace(/^\//, '').split('/')[0] ?? '';
  return MERGED.includes(top) ? `/usr/${p.replace(/^\//, '')}` : p;
}

export class Tree {
  private readonly libsDone = new Set<string>();

  constructor(readonly root: string, private readonly pkgRoots: string[]) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    for (const d of MERGED) {
      mkdirSync(join(root, 'usr', d), { recursive: true });
      symlinkSync(`usr/${d}`, join(root, d));
    }
  }

  path(p: string): string {
    return join(this.root, p);
  }

  mkdir(p: string, mode = 0o755): void {
    mkdirSync(this.path(p), { recursive: true, mode });
    chmodSync(this.path(p), mode);
  }

  write(p: string, content: string | Buffer, mode = 0o644): void {
    mkdirSync(dirname(this.path(p)), { recursive: true });
    rmSync(this.path(p), { force: true });
    writeFileSync(this.path(p), content);
    chmodSync(this.path(p), mode);
  }

  symlink(target: string, p: string): void {
    mkdirSync(dirname(this.path(p)), { recursive: true });
    rmSync(this.path(p), { force: true });
    symlinkSync(target, this.path(p));
  }

  /** Where `p` (absolute in the target system) lives in the unpacked packages. */
  find(p: string): string | null {
    for (const root of this.pkgRoots) {
      for (const candidate of new Set([join(root, usrPath(p)), join(root, p)])) {
        try {
          lstatSync(candidate);
          return candidate;
        } catch {
          /* not in this package */
        }
      }
    }
    return null;
  }

  /** Copies a file (or symlink, and what it points to) from the packages to the same path. */
  copy(p: string, dest = p): void {
    const src = this.find(p);
    if (!src) throw new Error(`${p}: not found in any package (add its package to initramfs/packages.ts)`);
    mkdirSync(dirname(this.path(dest)), { recursive: true });
    const st = lstatSync(src);
    if (st.isSymbolicLink()) {
      const target = readlinkSync(src);
      this.symlink(target, dest);
      const resolved = target.startsWith('/') ? target : posix.join(posix.dirname(p), target);
      if (!existsSync(this.path(resolved))) this.copy(resolved);
      return;
    }
    // Replace, never write through: dest may be a busybox applet link whose
    // absolute target would resolve on the BUILD machine.
    rmSync(this.path(dest), { force: true });
    copyFileSync(src, this.path(dest));
    chmodSync(this.path(dest), st.mode & 0o7777);
  }

  /** Copies an ELF binary and every shared library it needs, transitively. */
  copyElf(p: string, dest = p): void {
    this.copy(p, dest);
    this.copyLibsOf(this.path(dest), p);
  }

  /** Copies only the libraries of a binary (that itself arrives another way). */
  copyLibsFor(p: string): void {
    const src = p.startsWith(this.root) ? p : this.find(p) ?? p;
    this.copyLibsOf(src, p);
  }

  private copyLibsOf(file: string, label: string): void {
    for (const lib of neededLibs(file)) {
      if (this.libsDone.has(lib)) continue;
      this.libsDone.add(lib);
      const dir = LIB_DIRS.find((d) => this.find(`/${d}/${lib}`));
      if (!dir) throw new Error(`${label} needs ${lib}, which no package provides (add it to initramfs/packages.ts)`);
      this.copy(`/${dir}/${lib}`);
      this.copyLibsOf(this.path(`/${dir}/${lib}`), lib);
    }
  }
}

export function neededLibs(file: string): string[] {
  const out = run('readelf', ['-d', '-W', file]);
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] ?? '').filter(Boolean);
}
