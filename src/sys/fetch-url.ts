// HTTP(S) GET for user-data and service definitions, patient with a network that is still coming up.
/** GET with a per-try timeout and exponential backoff; the network may still be coming up. */
export async function fetchUrl(url: string, tries = 5, timeoutMs = 10_000): Promise<Buffer> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (res.ok) return Buffer.from(await res.arrayBuffer());
      last = `HTTP ${res.status}`;
      if (res.status >= 400 && res.status < 500 && res.status !== 429) break;
    } catch (err) {
      last = (err as Error).message;
    }
    if (i < tries - 1) await new Promise((r) => setTimeout(r, 500 * 2 ** i));
  }
  throw new Error(`fetch ${url}: ${last} (after retries)`);
}
