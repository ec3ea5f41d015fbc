// Running build tools with errors that say what failed.
import { execFileSync } from 'node:child_process';

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string } = {}): string {
  try {
    return execFileSync(cmd, args, { cwd: opts.cwd, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 << 20 }).toString();
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.toString().trim() || e.message}`, { cause: err });
  }
}

export function progress(msg: string): void {
  process.stdout.write(`[image] ${msg}\n`);
}
