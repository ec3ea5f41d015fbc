import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { milestonePattern, parseMilestones, type Milestone } from './milestones';
import { freePort, qemuArgv, type QemuOptions } from './qemu-command';
import { QmpClient, type QmpEvent } from './qmp-client';
import { SerialConsole, escapeRegExp, stripAnsi, type Pattern } from './serial-console';

export type { Milestone } from './milestones';
export type { QemuOptions } from './qemu-command';
export { withoutKernelLines } from './serial-console';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SHELL_PROBE_EVERY_MS = 2000;

export interface RunResult {
  /** What the command printed (stdout and stderr, as on a terminal), \r and ANSI escapes removed. */
  output: string;
  code: number;
}

// Whatever happens to the test process, its QEMUs must not outlive it: killed on exit here,
// and by the kernel (PR_SET_PDEATHSIG through setpriv) if the process dies from a signal.
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** One QEMU/TCG virtual machine booting the ros kernel and initrd, driven through its serial console and QMP. */
export class Qemu {
  readonly console: SerialConsole;
  #proc: ChildProcess;
  #tmp: string;
  #gone: Promise<number>;
  #stderr = '';
  #qmp: Promise<QmpClient> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #seq = 0;
  #shellReady = false;
  #noShell: Error | undefined;
  #stopped: Promise<void> | undefined;

  /** Checks the kernel and initrd exist, picks a free host port for ssh, and starts QEMU. */
  static async start(opts: QemuOptions): Promise<Qemu> {
    const kernel = resolve(REPO_ROOT, opts.kernel ?? 'dist/vmlinuz');
    const initrd = resolve(REPO_ROOT, opts.initrd ?? 'dist/initrd.img');
    const needed = (opts.boot ?? 'kernel') === 'kernel' ? [kernel, initrd] : opts.iso ? [resolve(REPO_ROOT, opts.iso)] : [];
    for (const f of needed) {
      if (!existsSync(f)) throw new Error(`${relative(REPO_ROOT, f)} does not exist: run \`make image\` first`);
    }
    return new Qemu(opts, kernel, initrd, await freePort());
  }

  private constructor(opts: QemuOptions, kernel: string, initrd: string, readonly sshPort: number) {
    this.#tmp = mkdtempSync(join(tmpdir(), 'ros-e2e-'));
    tempDirs.add(this.#tmp);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safeName = opts.name.replace(/[^\w.-]+/g, '_');
    this.console = new SerialConsole(join(REPO_ROOT, 'build', 'e2e-logs', `${safeName}-${stamp}.log`));

    const argv = qemuArgv(opts, { kernel, initrd, sshPort, qmpSocket: join(this.#tmp, 'qmp.sock') });
    this.console.note(`harness: ${argv.map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);

    const proc = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#proc = proc;
    live.add(proc);
    proc.stdout.on('data', (chunk: Buffer) => this.console.push(chunk));
    proc.stderr.on('data', (chunk: Buffer) => {
      this.#stderr += chunk.toString();
      this.console.note(`qemu stderr: ${chunk.toString().trimEnd()}`);
    });
    proc.stdin.on('error', () => {}); // EPIPE after QEMU exits; the exit itself is reported
    this.#gone = new Promise<number>((done) => {
      let finished = false; // a failed spawn may report both 'error' and 'close'
      const finish = (code: number, why: string): void => {
        if (finished) return;
        finished = true;
        live.delete(proc);
        this.console.note(`harness: ${why}`);
        this.console.end(code, why);
        done(code);
      };
      proc.once('error', (err) => finish(-1, `cannot run QEMU: ${err.message}`));
      proc.once('close', (code, signal) => {
        const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
        const err = this.#stderr.trim();
        finish(status, `QEMU exited with status ${status}${signal ? ` (${signal})` : ''}${err ? `; stderr: ${err}` : ''}`);
      });
    });
    this.#setRef(false); // a forgotten VM must not keep the test process alive; waits hold timers
  }

  get logPath(): string {
    return this.console.logPath;
  }

  tail(lines?: number): string {
    return this.console.tail(lines);
  }

  /** Waits for `pattern` in output after the cursor (see SerialConsole.waitFor). */
  waitFor(pattern: Pattern, timeoutMs: number): Promise<RegExpExecArray> {
    return this.console.waitFor(pattern, timeoutMs);
  }

  /** Waits for `pattern` anywhere in the output since boot; does not move the cursor. */
  waitForInLog(pattern: Pattern, timeoutMs: number): Promise<RegExpExecArray> {
    return this.console.waitFor(pattern, timeoutMs, { whole: true });
  }

  /** Waits for the milestone line after the cursor and returns its uptime in seconds. */
  async milestone(name: string, timeoutMs: number): Promise<number> {
    const m = await this.console.waitFor(milestonePattern(escapeRegExp(name)), timeoutMs);
    return Number(m[2]);
  }

  /** Every milestone printed so far, in console order. */
  milestones(): Milestone[] {
    return parseMilestones(this.console.text);
  }

  /** Types `text` on the serial console as is. */
  send(text: string): void {
    if (this.#proc.stdin?.writable) this.#proc.stdin.write(text);
  }

  sendLine(line: string): void {
    this.send(`${line}\n`);
  }

  /** The guest is rebooting (noReboot: false): the next run waits for the new boot's shell. */
  rebooting(): void {
    this.#shellReady = false;
  }

  /** Probes the console every 2 s until a shell answers an echo (it starts after boot-complete). */
  async waitForShell(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#shellReady) {
      // The quotes keep the echoed command line from matching the answer.
      this.send(`\necho __P_"${++this.#seq}"__\n`);
      try {
        await this.console.waitFor(/(?:^|\n)__P_\d+__\n/, Math.max(0, Math.min(SHELL_PROBE_EVERY_MS, deadline - Date.now())));
        this.#shellReady = true;
      } catch (err) {
        if (this.console.deadReason !== undefined) throw err;
        if (Date.now() >= deadline) {
          throw new Error(this.console.explain(`no shell answered on the serial console within ${timeoutMs / 1000} s`), { cause: err });
        }
      }
    }
  }

  /**
   * Runs a shell command on the serial console's root shell and returns its output and exit
   * status. Calls are serialised; the first one waits for the shell, and if none answers
   * every later run fails at once.
   */
  run(cmd: string, timeoutMs = 120_000): Promise<RunResult> {
    const result = this.#queue.then(() => this.#runNow(cmd, timeoutMs));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #runNow(cmd: string, timeoutMs: number): Promise<RunResult> {
    if (this.#noShell) throw new Error(`run ${JSON.stringify(cmd)}: an earlier run found no shell: ${this.#noShell.message}`);
    if (!this.#shellReady) {
      // Remembered: each later run would otherwise wait its full timeout for the same shell.
      await this.waitForShell(timeoutMs).catch((err: Error) => {
        throw (this.#noShell = err);
      });
    }
    const n = ++this.#seq;
    // Markers are printed by printf so the echoed command line never contains them literally;
    // the end marker starts on a new line even when the output lacks a final newline.
    const done = this.console.waitFor(new RegExp(`(?:^|\\n)__S_${n}__\\n([\\s\\S]*?)\\n__E_${n}__:(\\d+)\\n`), timeoutMs);
    this.sendLine(`printf '__S_%s__\\n' ${n}; eval ${shellQuote(cmd)}; printf '\\n__E_%s__:%s\\n' ${n} $?`);
    try {
      const m = await done;
      const output = stripAnsi(m[1] ?? '').replace(/\n$/, '');
      return { output, code: Number(m[2]) };
    } catch (err) {
      throw new Error(`run ${JSON.stringify(cmd)}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Runs `cmd` every 3 s until its output matches `pattern` or `timeoutMs` passes; returns the
   * last output either way. For what the guest does on its own after boot-complete, such as
   * dockerd restarting `--restart=always` containers.
   */
  async runUntil(cmd: string, pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { output } = await this.run(cmd, Math.max(10_000, deadline - Date.now()));
      if (pattern.test(output) || Date.now() >= deadline) return output;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }

  /** Sends a QMP command (connecting and negotiating capabilities on first use); returns its result. */
  async qmp(command: string, args?: Record<string, unknown>): Promise<unknown> {
    this.#qmp ??= QmpClient.connect(join(this.#tmp, 'qmp.sock'));
    return (await this.#qmp).execute(command, args);
  }

  /** QMP events seen so far (SHUTDOWN, POWERDOWN, RESET, …). */
  async qmpEvents(): Promise<readonly QmpEvent[]> {
    this.#qmp ??= QmpClient.connect(join(this.#tmp, 'qmp.sock'));
    return (await this.#qmp).events;
  }

  /** ACPI power button. */
  powerdown(): Promise<unknown> {
    return this.qmp('system_powerdown');
  }

  /** Presses keys together on the virtual keyboard, e.g. ['ctrl', 'alt', 'delete'] (QEMU qcodes). */
  sendKey(keys: string[]): Promise<unknown> {
    return this.qmp('send-key', { keys: keys.map((data) => ({ type: 'qcode', data })) });
  }

  /** Resolves with QEMU's exit status; rejects on timeout or a guest panic, with the console tail. */
  waitExit(timeoutMs: number): Promise<number> {
    return this.console.waitExit(timeoutMs);
  }

  /** SIGKILLs QEMU (if still running) and removes its temp dir. Safe to call any number of times. */
  kill(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#setRef(true); // keep the process alive until QEMU is reaped
      this.#proc.kill('SIGKILL');
      await this.#gone;
      if (this.#qmp) (await this.#qmp.catch(() => undefined))?.close();
      rmSync(this.#tmp, { recursive: true, force: true });
      tempDirs.delete(this.#tmp);
      await this.console.close();
    })();
    return this.#stopped;
  }

  /** For after() hooks: same as kill(); idempotent. */
  stop(): Promise<void> {
    return this.kill();
  }

  #setRef(on: boolean): void {
    const handles = [this.#proc, this.#proc.stdin, this.#proc.stdout, this.#proc.stderr] as unknown as (Socket | null)[];
    for (const h of handles) {
      if (on) h?.ref();
      else h?.unref();
    }
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
