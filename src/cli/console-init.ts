// `ros console-init`: the console container's main process. Runs a getty on
// each console tty and respawns it; ttys named by rancher.autologin log in as
// root without a password.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { splitCmdline } from '../sys/cmdline';
import { consoleTtys } from '../services/console-ttys';
import { cmdlineConfig } from '../sys/cmdline';

export const AUTOLOGIN = '/usr/sbin/autologin';

function gettyArgs(tty: string, autologin: boolean): string[] {
  const base = ['-L', '115200', tty, 'vt102'];
  return autologin ? ['-n', '-l', AUTOLOGIN, ...base] : base;
}

function respawn(tty: string, autologin: boolean): void {
  if (!existsSync(`/dev/${tty}`)) {
    process.stderr.write(`console-init: /dev/${tty} does not exist; no getty there\n`);
    return;
  }
  const child = spawn('/sbin/getty', gettyArgs(tty, autologin), { stdio: 'ignore' });
  const again = () => setTimeout(() => respawn(tty, autologin), 1000);
  child.once('exit', again);
  child.once('error', (err) => {
    process.stderr.write(`console-init: getty on ${tty}: ${err.message}\n`);
  });
}

export const consoleInitCommand: CommandModule = {
  command: 'console-init',
  describe: false, // internal: the console service's entrypoint
  handler: () => {
    const words = splitCmdline(readFileSync('/proc/cmdline', 'utf8'));
    const { rancher } = cmdlineConfig(words) as { rancher?: { autologin?: unknown } };
    for (const { tty, autologin } of consoleTtys(words, rancher?.autologin)) respawn(tty, autologin);
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
    setInterval(() => {}, 1 << 30);
  },
};
