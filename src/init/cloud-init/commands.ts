// Running bootcmd / runcmd entries and user-data scripts on the host, with
// their output in the log and a time limit so a stuck command cannot hang the boot.
import type { Logger } from '../../log/logger';
import type { Command } from '../../config/types';
import { spawnOwned } from '../children';

export const COMMAND_TIMEOUT_MS = 300_000;

export function argvOf(cmd: Command): [string, string[]] {
  return typeof cmd === 'string' ? ['/bin/sh', ['-c', cmd]] : [cmd[0] ?? '/bin/true', cmd.slice(1)];
}

export function runCommand(log: Logger, what: string, cmd: Command, env: Record<string, string>): Promise<number> {
  const [file, args] = argvOf(cmd);
  return new Promise((resolve) => {
    const child = spawnOwned(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    const collect = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      log.error(`${what}: ${err.message}`);
      resolve(-1);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const status = code ?? 128;
      const tail = out.trim() ? `: ${out.trim().split('\n').slice(-5).join(' | ')}` : '';
      if (status === 0) log.info(`${what}: ok${tail}`);
      else log.error(`${what}: exit ${code ?? `signal ${signal}`}${tail}`);
      resolve(status);
    });
  });
}
