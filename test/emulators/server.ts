// A metadata service on 127.0.0.1 for tests: a cloud's API (clouds.ts) behind
// node:http, which can be made slow or to fail its first requests the way a
// service that is still starting does. It records every request it saw.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Answer {
  status?: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Request {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The cloud's API: an answer, or undefined for 404. */
export type Api = (req: Request) => Answer | undefined;

export interface Faults {
  /** The first N requests get a 503 (or, with `drop`, a closed connection). */
  failFirst?: number;
  drop?: boolean;
  /** Every answer waits this long. */
  delayMs?: number;
  /** Accept connections and never answer (a black hole). */
  hang?: boolean;
}

export interface Emulator {
  url: string;
  port: number;
  requests: Request[];
  close(): Promise<void>;
}

export async function startEmulator(api: Api, faults: Faults = {}, port = 0): Promise<Emulator> {
  const requests: Request[] = [];
  let failures = faults.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Request = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      if (faults.hang) return;
      if (failures > 0) {
        failures--;
        if (faults.drop) req.socket.destroy();
        else res.writeHead(503).end('starting');
        return;
      }
      const answer = api(r) ?? { status: 404, body: 'not found' };
      setTimeout(() => res.writeHead(answer.status ?? 200, answer.headers).end(answer.body ?? ''), faults.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: connections are refused at once. */
export async function closedPort(): Promise<string> {
  const e = await startEmulator(() => undefined);
  await e.close();
  return e.url;
}
