// A manager's join-token service on TCP 2378 (docs/architecture.md, "Swarm"):
//   GET  /v1/challenge  → {challenge}            a single-use value, good for 60 s
//   POST /v1/ask        x-ros-mac: HMAC(body)   → sealed reply, or {error, message}
// Plain HTTP: what must stay secret travels sealed, and a request proves its
// sender with the cluster secret; see protocol.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DockerClient } from '../docker/clients';
import { addNodeLabels, joinTokens, localSwarm, swarmNodes } from '../docker/swarm';
import { ChallengeBook, MAX_BODY, TOKEN_PORT, sealReply, verifyRequest, type Ask, type ClusterKeys } from './protocol';

export type Say = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What a token reply holds: the join token and the managers' swarm addresses. */
export interface TokenPayload {
  token: string;
  managers: string[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

async function answer(docker: DockerClient, ask: Ask): Promise<unknown> {
  const local = await localSwarm(docker);
  if (local.state !== 'active' || !local.isManager) throw Object.assign(new Error('this node is not a swarm manager now'), { status: 503 });
  if (ask.op === 'labels') return { changed: await addNodeLabels(docker, ask.node, ask.labels) };
  const tokens = await joinTokens(docker);
  const managers = (await swarmNodes(docker)).filter((n) => n.role === 'manager' && n.reachability === 'reachable' && n.managerAddr).map((n) => n.managerAddr);
  const payload: TokenPayload = { token: ask.role === 'manager' ? tokens.manager : tokens.worker, managers };
  return payload;
}

/**
 * Serves join tokens on `address`:2378 to nodes that prove they hold the
 * cluster secret. Every refusal is logged with the peer's address; a token
 * never is.
 */
export function startTokenServer(docker: DockerClient, keys: ClusterKeys, address: string, say: Say, port = TOKEN_PORT): Promise<Server> {
  const book = new ChallengeBook();
  const server = createServer((req, res) => {
    const peer = req.socket.remoteAddress ?? 'an unknown address';
    void (async () => {
      if (req.method === 'GET' && req.url === '/v1/challenge') return send(res, 200, { challenge: book.issue() });
      if (req.method !== 'POST' || req.url !== '/v1/ask') return send(res, 404, { error: 'not-found', message: 'GET /v1/challenge or POST /v1/ask' });
      const body = await readBody(req);
      if (body === null) return send(res, 413, { error: 'too-large', message: `requests are at most ${MAX_BODY} bytes` });
      const mac = String(req.headers['x-ros-mac'] ?? '');
      const v = verifyRequest(keys, body, mac, (c) => book.take(c));
      if (!v.ok) {
        say(v.code === 'wrong-secret' ? 'error' : 'warn', `refused a request from ${peer}: ${v.message}`);
        return send(res, v.code === 'wrong-secret' ? 403 : v.code === 'stale-challenge' ? 409 : 400, { error: v.code, message: v.message });
      }
      try {
        const payload = await answer(docker, v.ask);
        say('info', v.ask.op === 'token' ? `gave a ${v.ask.role} join token to ${peer}` : `labelled node ${v.ask.node} for ${peer}`);
        send(res, 200, sealReply(keys, mac, payload));
      } catch (err) {
        const e = err as Error & { status?: number };
        say('warn', `could not answer ${peer}: ${e.message}`);
        send(res, e.status ?? 500, { error: 'unavailable', message: e.message });
      }
    })().catch(() => res.destroy());
  });
  // Slow or idle peers must not hold sockets for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.maxHeadersCount = 20;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
