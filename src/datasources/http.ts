// HTTP to a cloud's metadata service, patient enough for a service that is
// slow to come up and quick to give up on one that is not there: each try has
// a timeout, failed tries back off, and every try of every datasource in one
// search draws on one deadline, so a missing service costs seconds, not minutes.

export interface HttpPolicy {
  /** Time limit of one request. */
  timeoutMs: number;
  /** Tries per request; connection errors, timeouts, 5xx and 429 are retried. */
  tries: number;
  /** Pause before the second try; doubled for each later one. */
  backoffMs: number;
}

export const DEFAULT_POLICY: HttpPolicy = { timeoutMs: 2000, tries: 5, backoffMs: 250 };

/** A point in time after which no more requests are started. */
export class Deadline {
  private readonly end: number;
  constructor(readonly ms: number) {
    this.end = Date.now() + ms;
  }
  remaining(): number {
    return Math.max(0, this.end - Date.now());
  }
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
  headers: Headers;
}

/** No usable answer: nothing listening, no route, timeouts, or 5xx until the tries or the deadline ran out. */
export class Unreachable extends Error {}

type Headers_ = Record<string, string>;

function reason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

const retryable = (status: number) => status >= 500 || status === 429;

export class MetadataHttp {
  constructor(readonly base: string, private readonly deadline: Deadline, private readonly policy: HttpPolicy = DEFAULT_POLICY) {}

  url(path: string): string {
    return `${this.base.replace(/\/$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** Any answer that is not retryable (2xx, 3xx, 4xx); throws Unreachable otherwise. */
  async request(method: string, path: string, headers: Headers_ = {}, body?: string): Promise<HttpAnswer> {
    const url = this.url(path);
    const start = Date.now();
    let last = 'no try made: the deadline had passed';
    for (let i = 0; i < this.policy.tries; i++) {
      const budget = Math.min(this.policy.timeoutMs, this.deadline.remaining());
      if (budget <= 0) break;
      try {
        const res = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(budget) });
        const answer = { status: res.status, body: Buffer.from(await res.arrayBuffer()), headers: res.headers };
        if (!retryable(res.status)) return answer;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = reason(err);
      }
      if (i < this.policy.tries - 1) {
        const pause = Math.min(this.policy.backoffMs * 2 ** i, this.deadline.remaining());
        if (pause <= 0) break;
        await new Promise((r) => setTimeout(r, pause));
      }
    }
    throw new Unreachable(`${method} ${url}: ${last} (gave up after ${((Date.now() - start) / 1000).toFixed(1)} s)`);
  }

  /** The body of a 200; null for 404 (the key is not set); throws for anything else. */
  async bytes(path: string, headers: Headers_ = {}): Promise<Buffer | null> {
    const res = await this.request('GET', path, headers);
    if (res.status === 404) return null;
    if (res.status !== 200) throw new Error(`GET ${this.url(path)}: HTTP ${res.status}`);
    return res.body;
  }

  async text(path: string, headers: Headers_ = {}): Promise<string | null> {
    return (await this.bytes(path, headers))?.toString('utf8') ?? null;
  }

  async json(path: string, headers: Headers_ = {}): Promise<unknown> {
    const text = await this.text(path, headers);
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new Error(`GET ${this.url(path)}: not JSON: ${(err as Error).message}`, { cause: err });
    }
  }
}
