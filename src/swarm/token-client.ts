// The joining node's end of the token protocol (protocol.ts, token-server.ts).
import { request } from 'node:http';
import { openReply, signRequest, type Ask, type ClusterKeys } from './protocol';

const TIMEOUT_MS = 10_000;

/** The manager holds another secret (it refused us, or its reply does not open): waiting will not fix it. */
export class WrongSecretError extends Error {}

/** Short words for the errors a user sees while a manager is not there yet. */
function reason(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'EHOSTUNREACH':
      return 'no route to host';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ETIMEDOUT':
      return `no answer within ${TIMEOUT_MS / 1000} s`;
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return err.message;
  }
}

function call(host: string, port: number, method: 'GET' | 'POST', path: string, body?: string, mac?: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    if (mac) headers['x-ros-mac'] = mac;
    const req = request({ host, port, method, path, headers, timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          /* not JSON: reported below by the caller */
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', (err) => reject(new Error(reason(err))));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (err) => reject(new Error(reason(err))));
    req.end(body);
  });
}

/** Asks the manager at host:port; returns the opened reply, or throws with a message fit for the log. */
export async function askManager(host: string, port: number, keys: ClusterKeys, ask: Ask): Promise<unknown> {
  const ch = await call(host, port, 'GET', '/v1/challenge');
  const challenge = (ch.json as { challenge?: unknown } | null)?.challenge;
  if (ch.status !== 200 || typeof challenge !== 'string') throw new Error(`no ros token service there (HTTP ${ch.status} to GET /v1/challenge)`);
  const signed = signRequest(keys, ask, challenge);
  const r = await call(host, port, 'POST', '/v1/ask', signed.body, signed.mac);
  const why = (r.json as { message?: unknown } | null)?.message;
  if (r.status === 403) throw new WrongSecretError(`refused this node: this node's rancher.swarm.cluster_secret is not the manager's`);
  if (r.status !== 200) throw new Error(`HTTP ${r.status}${typeof why === 'string' ? `: ${why}` : ''}`);
  const opened = openReply(keys, signed.mac, r.json);
  if (!opened.ok) throw new WrongSecretError(`answered, but ${opened.message}`);
  return opened.payload;
}
