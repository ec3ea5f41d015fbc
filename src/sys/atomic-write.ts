// Crash-safe file replacement: temp file in the same directory, fsync, rename,
// fsync of the directory. A power cut leaves the old or the new content.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function atomicWrite(path: string, content: string | Buffer, mode = 0o644): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncPath(dir);
}

/** fsync of a file or directory by path (a rename is durable once its directory is synced). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Renames a finished temp file into place durably: fsync it, rename, fsync the directory. */
export function commitFile(tmp: string, path: string): void {
  fsyncPath(tmp);
  renameSync(tmp, path);
  fsyncPath(dirname(path));
}
