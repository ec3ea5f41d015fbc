import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

interface Pending {
  execute: string;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** A QMP (QEMU Machine Protocol) client on a unix socket: newline-delimited JSON. */
export class QmpClient {
  /** Asynchronous events QEMU reported (SHUTDOWN, POWERDOWN, RESET, …), oldest first. */
  readonly events: QmpEvent[] = [];
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #buf = '';
  #greeted: Promise<void>;
  #greet: { resolve(): void; reject(err: Error): void } | undefined;
  #closed: Error | undefined;

  private constructor(private readonly sock: Socket) {
    this.#greeted = new Promise<void>((resolve, reject) => (this.#greet = { resolve, reject }));
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      this.#buf += chunk;
      let nl: number;
      while ((nl = this.#buf.indexOf('\n')) >= 0) {
        const line = this.#buf.slice(0, nl).trim();
        this.#buf = this.#buf.slice(nl + 1);
        if (line) this.#onMessage(JSON.parse(line) as Record<string, unknown>);
      }
    });
    sock.on('error', (err) => this.#fail(err));
    sock.on('close', () => this.#fail(new Error('QMP connection closed')));
  }

  /** Connects (retrying while QEMU creates the socket) and does the capabilities handshake. */
  static async connect(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let client: QmpClient | undefined;
      try {
        const sock = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path, () => resolve(s));
          s.once('error', reject);
        });
        client = new QmpClient(sock);
        await client.#greeted;
        await client.execute('qmp_capabilities');
        client.#refWhileBusy();
        return client;
      } catch (err) {
        client?.close();
        if (Date.now() > deadline) throw new Error(`QMP connect ${path}: ${(err as Error).message}`, { cause: err });
        await sleep(100);
      }
    }
  }

  /** Runs one QMP command; resolves with its "return" value, rejects with its "error". */
  execute(execute: string, args?: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error(`QMP ${execute}: ${this.#closed.message}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { execute, resolve, reject });
      this.#refWhileBusy();
      this.sock.write(JSON.stringify({ execute, ...(args ? { arguments: args } : {}), id }) + '\n');
    });
  }

  close(): void {
    this.sock.destroy();
  }

  /** An idle QMP socket must not keep the test process alive; one awaiting a reply must. */
  #refWhileBusy(): void {
    if (this.#pending.size > 0) this.sock.ref();
    else this.sock.unref();
  }

  #onMessage(msg: Record<string, unknown>): void {
    if ('QMP' in msg) return this.#greet?.resolve();
    if (typeof msg.event === 'string') {
      this.events.push(msg as unknown as QmpEvent);
      return;
    }
    const pending = typeof msg.id === 'number' ? this.#pending.get(msg.id) : undefined;
    if (!pending || typeof msg.id !== 'number') return;
    this.#pending.delete(msg.id);
    this.#refWhileBusy();
    if ('error' in msg) {
      const e = msg.error as { class?: string; desc?: string };
      pending.reject(new Error(`QMP ${pending.execute}: ${e.class ?? 'Error'}: ${e.desc ?? ''}`));
    } else {
      pending.resolve(msg.return);
    }
  }

  #fail(err: Error): void {
    this.#closed ??= err;
    this.#greet?.reject(err);
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      p.reject(new Error(`QMP ${p.execute}: ${err.message}`));
    }
  }
}
