// Where `ros os upgrade --image` reads a bundle from: a local path, a
// file:// URL, or http(s)://, downloaded first to the state disk (a bundle is
// ~100 MiB: not for the RAM-backed /tmp). Nothing is trusted until verified.
import { closeSync, fstatSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadTo } from '../sys/download';
import type { Reader } from './bundle';
import { fileReader } from './slot-files';

export interface BundleSource {
  reader: Reader;
  close(): void;
}

function openFile(path: string, cleanup: () => void = () => {}): BundleSource {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    cleanup();
    throw new Error(`--image ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
  }
  return {
    reader: fileReader(fd, fstatSync(fd).size),
    close: () => {
      closeSync(fd);
      cleanup();
    },
  };
}

export async function openBundleSource(image: string, downloadDir: string, progress: (line: string) => void): Promise<BundleSource> {
  if (/^https?:\/\//i.test(image)) {
    mkdirSync(downloadDir, { recursive: true });
    const file = join(downloadDir, 'download.bundle.tmp');
    progress(`downloading ${image}`);
    await downloadTo(image, file, progress);
    return openFile(file, () => rmSync(file, { force: true }));
  }
  if (/^file:/i.test(image)) return openFile(fileURLToPath(image));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(image)) throw new Error(`--image ${image}: only a path, file://, http:// and https:// are supported`);
  return openFile(image);
}
