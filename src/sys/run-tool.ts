// Running a short system tool from the CLI, with an error that says which
// command failed and what it printed.
import { execFileSync } from 'node:child_process';

export function runTool(cmd: string, args: string[]): void {
  try {
    execFileSync(cmd, args, { stdio: 'pipe' });
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`${cmd} ${args.join(' ')}: ${e.stderr?.toString().trim() || e.message}`, { cause: err });
  }
}
