// Mounting, with errors that name the target, type and source.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { native } from './native';

// From <sys/mount.h>.
export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  PRIVATE: 1 << 18,
  SHARED: 1 << 20,
  NOATIME: 1024,
  RELATIME: 1 << 21,
} as const;

export const MNT_DETACH = 2;

export interface MountSpec {
  source: string | null;
  target: string;
  fstype: string | null;
  flags?: number;
  data?: string | null;
}

export function mount(spec: MountSpec): void {
  // A file can be a mount target too (bind over /proc/cmdline): create only what is missing.
  if (!existsSync(spec.target)) mkdirSync(spec.target, { recursive: true });
  native().mount(spec.source, spec.target, spec.fstype, spec.flags ?? 0, spec.data ?? null);
}

/**
 * Covers /proc/cmdline of this mount namespace's /proc with `file`. Words
 * after `--` are init's alone, but the kernel keeps them in /proc/cmdline;
 * init covers the host's /proc, the console its own.
 */
export function coverProcCmdline(file: string): void {
  mount({ source: file, target: '/proc/cmdline', fstype: null, flags: MS.BIND });
}

export function umount(target: string, flags = 0): void {
  native().umount2(target, flags);
}

export interface MountEntry {
  source: string;
  target: string;
  fstype: string;
  options: string;
}

/** Parses /proc/self/mounts text (octal escapes like \040 for spaces). */
export function parseMounts(text: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [source = '', target = '', fstype = '', options = ''] = l.split(' ');
      return { source: unescape(source), target: unescape(target), fstype, options };
    });
}

export function mounts(): MountEntry[] {
  return parseMounts(readFileSync('/proc/self/mounts', 'utf8'));
}

export function isMounted(target: string): boolean {
  return mounts().some((m) => m.target === target);
}
