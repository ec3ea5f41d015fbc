// The join-token protocol between ros nodes (docs/architecture.md, "Swarm"):
// a node proves it knows rancher.swarm.cluster_secret with an HMAC over its
// request, which names a single-use challenge the manager just issued; the
// manager answers sealed with AES-256-GCM under a key derived from the same
// secret, bound to that request. Nothing here does I/O: the HTTP ends are in
// token-server.ts and token-client.ts.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** TCP port of a manager's join-token service (Swarm's own is 2377). */
export const TOKEN_PORT = 2378;
const VERSION = 'ros-swarm-v1';
/** Requests are small; a larger body is refused before it is read whole. */
export const MAX_BODY = 16 * 1024;

export type SwarmRole = 'manager' | 'worker';

/** What a node asks a manager for. */
export type Ask =
  | { op: 'token'; role: SwarmRole }
  | { op: 'labels'; node: string; labels: Record<string, string> };

/** The two keys of a cluster, both from its secret (HKDF-SHA256), so one never stands in for the other. */
export interface ClusterKeys {
  auth: Buffer;
  seal: Buffer;
}

export function clusterKeys(secret: string): ClusterKeys {
  const ikm = Buffer.from(secret, 'utf8');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', ikm, VERSION, info, 32));
  return { auth: derive('request-auth'), seal: derive('reply-seal') };
}

/** A fresh cluster secret: 32 random bytes, base64url (43 characters). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export interface SignedRequest {
  /** The exact bytes sent: the MAC covers them, not a re-serialisation. */
  body: string;
  /** HMAC-SHA256 of body under the auth key, hex. */
  mac: string;
}

function hmac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(VERSION).update('\n').update(body).digest();
}

export function signRequest(keys: ClusterKeys, ask: Ask, challenge: string, nonce = randomBytes(16).toString('hex')): SignedRequest {
  const body = JSON.stringify({ v: VERSION, ask, challenge, nonce });
  return { body, mac: hmac(keys.auth, body).toString('hex') };
}

export type Refusal = { ok: false; code: 'wrong-secret' | 'bad-request' | 'stale-challenge'; message: string };

/**
 * Checks a request: first its MAC (before the body is even parsed, so no one
 * without the secret reaches more code than this), then its shape, then that
 * its challenge is one `take` still holds (each is good once: a replay fails).
 */
export function verifyRequest(keys: ClusterKeys, body: string, mac: string, take: (challenge: string) => boolean): { ok: true; ask: Ask } | Refusal {
  const given = /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : Buffer.alloc(0);
  if (given.length !== 32 || !timingSafeEqual(given, hmac(keys.auth, body))) {
    return { ok: false, code: 'wrong-secret', message: 'the request is not signed with this cluster\'s secret (rancher.swarm.cluster_secret differs)' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, code: 'bad-request', message: 'the request is not JSON' };
  }
  const p = parsed as { v?: unknown; ask?: unknown; challenge?: unknown };
  const ask = askOf(p.ask);
  if (p.v !== VERSION || typeof p.challenge !== 'string' || !ask) return { ok: false, code: 'bad-request', message: `not a ${VERSION} request` };
  if (!take(p.challenge)) return { ok: false, code: 'stale-challenge', message: 'the challenge is unknown, used or expired: ask for a new one' };
  return { ok: true, ask };
}

function askOf(v: unknown): Ask | null {
  if (!v || typeof v !== 'object') return null;
  const a = v as Record<string, unknown>;
  if (a.op === 'token' && (a.role === 'manager' || a.role === 'worker')) return { op: 'token', role: a.role };
  if (a.op === 'labels' && typeof a.node === 'string' && a.labels && typeof a.labels === 'object') {
    const labels = Object.entries(a.labels as Record<string, unknown>);
    if (labels.every(([, x]) => typeof x === 'string')) return { op: 'labels', node: a.node, labels: Object.fromEntries(labels) as Record<string, string> };
  }
  return null;
}

export interface SealedReply {
  iv: string;
  data: string;
}

/** Seals `payload` for the node that sent the request with MAC `requestMac`; it opens for that request only. */
export function sealReply(keys: ClusterKeys, requestMac: string, payload: unknown): SealedReply {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keys.seal, iv);
  c.setAAD(Buffer.from(`${VERSION} reply ${requestMac}`));
  const data = Buffer.concat([c.update(JSON.stringify(payload), 'utf8'), c.final(), c.getAuthTag()]);
  return { iv: iv.toString('base64'), data: data.toString('base64') };
}

/** Opens a reply to our request; fails when the sender does not hold our secret, or the reply was made for another request. */
export function openReply(keys: ClusterKeys, requestMac: string, reply: unknown): { ok: true; payload: unknown } | { ok: false; message: string } {
  const r = reply as Partial<SealedReply> | null;
  if (!r || typeof r.iv !== 'string' || typeof r.data !== 'string') return { ok: false, message: 'the reply is not a sealed ros-swarm reply' };
  const data = Buffer.from(r.data, 'base64');
  if (data.length < 17) return { ok: false, message: 'the sealed reply is truncated' };
  try {
    const d = createDecipheriv('aes-256-gcm', keys.seal, Buffer.from(r.iv, 'base64'));
    d.setAAD(Buffer.from(`${VERSION} reply ${requestMac}`));
    d.setAuthTag(data.subarray(data.length - 16));
    const plain = Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
    return { ok: true, payload: JSON.parse(plain.toString('utf8')) };
  } catch {
    return { ok: false, message: 'its reply does not open with this node\'s cluster_secret: the manager holds another secret, or someone else answered' };
  }
}

/**
 * The challenges a manager has issued and not yet seen used: each lives
 * `ttlMs` and is taken once. Bounded, so a flood of challenge requests costs
 * memory only up to `max` (the oldest go first).
 */
export class ChallengeBook {
  readonly #open = new Map<string, number>();

  constructor(private readonly ttlMs = 60_000, private readonly max = 1024, private readonly now: () => number = Date.now) {}

  issue(): string {
    this.#expire();
    while (this.#open.size >= this.max) this.#open.delete(this.#open.keys().next().value as string);
    const c = randomBytes(16).toString('hex');
    this.#open.set(c, this.now() + this.ttlMs);
    return c;
  }

  take(challenge: string): boolean {
    const until = this.#open.get(challenge);
    this.#open.delete(challenge);
    return until !== undefined && until >= this.now();
  }

  #expire(): void {
    const t = this.now();
    for (const [c, until] of this.#open) if (until < t) this.#open.delete(c);
  }
}
