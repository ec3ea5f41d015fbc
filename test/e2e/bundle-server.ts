// A one-connection HTTP server on stdin/stdout, for QEMU's
// `guestfwd=tcp:IP:PORT-cmd:…`: QEMU runs it per connection from the guest,
// so the guest reaches the host's files with no network leaving the machine.
// Serves GET /NAME and /DIR/NAME from the directory given as its argument,
// and appends one line per request to requests.log there, so a test can
// tell which files the guest fetched.
import { appendFileSync, createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from './qemu';

/** Every request, one line each (`GET /path 200 bytes`), in the served directory. */
export const REQUEST_LOG = 'requests.log';

/** The address the guest fetches from (inside QEMU's user network). */
export const BUNDLE_HOST = '10.0.2.100';

/** The -nic user guestfwd rule that serves `dir` at http://BUNDLE_HOST/. */
export function guestfwd(dir: string): string {
  const self = fileURLToPath(import.meta.url);
  return `guestfwd=tcp:${BUNDLE_HOST}:80-cmd:${join(REPO_ROOT, 'node_modules/.bin/tsx')} ${self} ${dir}`;
}

function serve(dir: string): void {
  let head = '';
  process.stdin.on('data', (chunk: Buffer) => {
    if (head.includes('\r\n\r\n')) return;
    head += chunk.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    const path = /^GET (\/\S*) HTTP/.exec(head)?.[1] ?? '';
    const rel = decodeURIComponent(path).replace(/^\/+/, '');
    // Plain names and one folder level: nothing outside `dir`.
    const file = /^(?:[\w.-]+\/)?[\w.-]+$/.test(rel) && !rel.split('/').includes('..') ? join(dir, rel) : '';
    let size = -1;
    try {
      size = file && statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      /* 404 below */
    }
    appendFileSync(join(dir, REQUEST_LOG), `GET /${rel} ${size < 0 ? 404 : 200}${size < 0 ? '' : ` ${size}`}\n`);
    if (size < 0) {
      process.stdout.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', () => process.exit(0));
      return;
    }
    process.stdout.write(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`);
    createReadStream(file).on('end', () => setTimeout(() => process.exit(0), 500)).pipe(process.stdout, { end: false });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) serve(process.argv[2]);
