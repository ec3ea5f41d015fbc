// Downloads a large file (an upgrade bundle) to disk with retries and a
// progress line, without holding it in memory.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

/** Below this a download shows one line when it is done, not ten. */
const SMALL = 8 << 20;
const mib = (n: number, scale: number): string => (n / 1048576).toFixed(scale < SMALL ? 1 : 0);

export async function downloadTo(url: string, file: string, progress: (line: string) => void, tries = 5): Promise<number> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(30 * 60_000) });
      if (!res.ok || !res.body) {
        last = `HTTP ${res.status}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
      } else {
        const total = Number(res.headers.get('content-length') ?? 0);
        const fd = openSync(file, 'w', 0o600);
        let got = 0;
        let shown = -1;
        try {
          for await (const chunk of res.body) {
            writeSync(fd, chunk);
            got += chunk.length;
            // Tenths of a large file; a small one (a delta) only when it is complete.
            const step = total >= SMALL ? Math.floor((got / total) * 10) : total > 0 ? Number(got === total) : Math.floor(got / (16 << 20));
            if (step !== shown) {
              shown = step;
              if (total > 0 && (total >= SMALL || got === total)) progress(`  downloaded ${mib(got, total)}/${mib(total, total)} MiB`);
              else if (total === 0) progress(`  downloaded ${mib(got, got)} MiB`);
            }
          }
        } finally {
          closeSync(fd);
        }
        if (total > 0 && got !== total) throw new Error(`the download stopped at ${got} of ${total} bytes`);
        return got;
      }
    } catch (err) {
      last = (err as Error).message;
      rmSync(file, { force: true });
    }
    if (i < tries - 1) {
      progress(`  ${url}: ${last}; retrying (${i + 2}/${tries})`);
      await new Promise((r) => setTimeout(r, 1000 * 2 ** i));
    }
  }
  throw new Error(`download ${url}: ${last} (after ${tries} tries)`);
}
