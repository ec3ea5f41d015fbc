import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** Console text that means the guest is dead. Every wait fails fast once one appears. */
const FATAL = /Kernel panic|Attempted to kill init/;
/** After a panic, keep collecting this long so the failure message shows the trace. */
const FATAL_GRACE_MS = 1500;
const TAIL_LINES = 60;
/** After an expected panic: how long its trace (and the reboot it causes) is not taken for another. */
const EXPECTED_PANIC_QUIET_MS = 30_000;

export type Pattern = RegExp | string;

interface Waiter {
  what: string;
  check(): boolean; // settles the waiter's promise itself when it returns true
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  /** Exit of QEMU settles this waiter too (waitExit), instead of failing it. */
  survivesEnd: boolean;
}

/**
 * Everything QEMU printed on the guest's serial port: kept in memory (with \r removed) for
 * matching, and written raw to a log file for diagnosis. It also knows whether the guest is
 * still alive, so that every wait fails fast on a panic or on QEMU exiting.
 */
export class SerialConsole {
  #text = '';
  #cursor = 0;
  #scanned = 0;
  #panicAt: number | undefined; // offset of the fatal words, as soon as they are seen
  #dead: string | undefined; // why no wait can succeed any more
  #exitCode: number | undefined;
  #waiters = new Set<Waiter>();
  #decoder = new StringDecoder('utf8');
  #log: WriteStream;
  #logAtLineStart = true;
  #expectedPanic: ((line: string) => void) | undefined;
  #quietUntil = 0;

  constructor(readonly logPath: string) {
    mkdirSync(dirname(logPath), { recursive: true });
    this.#log = createWriteStream(logPath);
  }

  /** All output so far, \r removed. */
  get text(): string {
    return this.#text;
  }

  /** Why waits fail now (panic or exit), or undefined while the guest is alive. */
  get deadReason(): string | undefined {
    return this.#dead;
  }

  push(chunk: Buffer): void {
    this.#log.write(chunk);
    if (chunk.length > 0) this.#logAtLineStart = chunk[chunk.length - 1] === 0x0a;
    this.#text += this.#decoder.write(chunk).replace(/\r/g, '');
    this.#scanForPanic();
    this.#checkAll();
  }

  /** A line for the log file only (harness notes, QEMU's stderr); never matched. */
  note(line: string): void {
    this.#log.write(`${this.#logAtLineStart ? '' : '\n'}# ${line.replace(/\n/g, '\n# ')}\n`);
    this.#logAtLineStart = true;
  }

  /** QEMU's stdio closed: pending waits settle (waitExit) or fail (everything else). */
  end(exitCode: number, why: string): void {
    this.#text += this.#decoder.end().replace(/\r/g, '');
    this.#exitCode = exitCode;
    if (this.#panicAt === undefined) this.#checkAll();
    this.#die(why);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  /** The last `lines` lines of output, terminal escapes removed. */
  tail(lines = TAIL_LINES): string {
    return stripAnsi(this.#text.split('\n').slice(-lines).join('\n'));
  }

  /** `message` followed by the console tail and the log path, for assertion failures. */
  explain(message: string): string {
    return `${message}\n--- last ${TAIL_LINES} console lines (full log: ${this.logPath}) ---\n${this.tail()}\n---`;
  }

  /** Skip everything printed so far: later cursor waits only see new output. */
  skip(): void {
    this.#cursor = this.#text.length;
  }

  /**
   * Waits until `pattern` appears. By default searches from the cursor and moves the cursor
   * past the match, so consecutive waits never match the same text twice; `{ whole: true }`
   * searches the whole log and leaves the cursor alone.
   */
  waitFor(pattern: Pattern, timeoutMs: number, opts: { whole?: boolean } = {}): Promise<RegExpExecArray> {
    const re = toRegExp(pattern);
    const from = opts.whole ? 0 : this.#cursor;
    return this.#wait<RegExpExecArray>(`waitFor(${re})`, timeoutMs, false, () => {
      const m = re.exec(this.#text.slice(from));
      if (!m) return undefined;
      m.index += from;
      if (!opts.whole) this.#cursor = Math.max(this.#cursor, m.index + m[0].length);
      return m;
    });
  }

  /** Resolves with QEMU's exit code; fails on a panic or timeout. */
  waitExit(timeoutMs: number): Promise<number> {
    return this.#wait(`waitExit()`, timeoutMs, true, () => this.#exitCode);
  }

  #wait<T>(what: string, timeoutMs: number, survivesEnd: boolean, probe: () => T | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        what,
        survivesEnd,
        check: () => {
          const found = probe();
          if (found === undefined) return false;
          this.#settle(waiter);
          resolve(found);
          return true;
        },
        reject: (err) => {
          this.#settle(waiter);
          reject(err);
        },
        timer: setTimeout(() => {
          waiter.reject(new Error(this.explain(`${what} timed out after ${timeoutMs / 1000} s`)));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
      if (this.#panicAt === undefined && waiter.check()) return;
      if (this.#dead !== undefined) waiter.reject(new Error(this.explain(`${what}: ${this.#dead}`)));
    });
  }

  #settle(w: Waiter): void {
    clearTimeout(w.timer);
    this.#waiters.delete(w);
  }

  #checkAll(): void {
    // Once the guest has panicked nothing may succeed, even a match printed before the panic.
    if (this.#panicAt !== undefined) return;
    for (const w of [...this.#waiters]) w.check();
  }

  /**
   * The next panic is what the test wants (a trial boot that must fail): it
   * settles this promise instead of failing every wait, and for a while its
   * trace and reboot are not taken for another.
   */
  expectPanic(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#expectedPanic = undefined;
        reject(new Error(this.explain(`the expected kernel panic did not come within ${timeoutMs / 1000} s`)));
      }, timeoutMs);
      this.#expectedPanic = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  #scanForPanic(): void {
    if (this.#panicAt !== undefined) return;
    // Re-scan a little of the old text: the fatal words may straddle two chunks.
    const start = Math.max(0, this.#scanned - 40);
    this.#scanned = this.#text.length;
    if (Date.now() < this.#quietUntil) return;
    const m = FATAL.exec(this.#text.slice(start));
    if (!m) return;
    const expected = this.#expectedPanic;
    if (expected) {
      this.#expectedPanic = undefined;
      this.#quietUntil = Date.now() + EXPECTED_PANIC_QUIET_MS;
      expected(this.#panicLine(start + m.index));
      return;
    }
    this.#panicAt = start + m.index;
    setTimeout(() => this.#die('guest panicked'), FATAL_GRACE_MS).unref();
  }

  /** The panic message up to the end of its line (which may have arrived after detection). */
  #panicLine(at: number): string {
    const end = this.#text.indexOf('\n', at);
    return this.#text.slice(at, end < 0 ? undefined : end).trim();
  }

  #die(why: string): void {
    if (this.#dead !== undefined) return;
    this.#dead = this.#panicAt !== undefined ? `guest panicked: "${this.#panicLine(this.#panicAt)}"` : why;
    for (const w of [...this.#waiters]) {
      if (w.survivesEnd && this.#panicAt === undefined && this.#exitCode !== undefined) continue;
      w.reject(new Error(this.explain(`${w.what}: ${this.#dead}`)));
    }
  }
}

export function toRegExp(pattern: Pattern): RegExp {
  if (typeof pattern === 'string') return new RegExp(escapeRegExp(pattern));
  // A global or sticky regexp keeps state between exec() calls; the waits need none.
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
}

/** Removes terminal control sequences (busybox line editing sends some, e.g. ESC[6n). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''); // eslint-disable-line no-control-regex -- ESC is what it removes
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Drops kernel console lines (`[   12.345678] …`) from command output: printk on ttyS0 may
 * interleave with what a command prints. Do not use on output that is meant to be dmesg.
 */
export function withoutKernelLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\[\s*\d+\.\d+\] /.test(line))
    .join('\n');
}
