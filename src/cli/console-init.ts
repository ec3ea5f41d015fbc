// `ros console-init`: the console container's main process. Runs a getty on
// each console tty and respawns it; ttys named by rancher.autologin log in as
// root without a password.
import { spawn, spawnSync } from 'node:child_process';
import { loadConfig } from '../config/load';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { CommandModule } from 'yargs';
import { splitCmdline } from '../sys/cmdline';
import { consoleTtys } from '../services/console-ttys';
import { cmdlineConfig } from '../sys/cmdline';
import { MS, mount } from '../sys/mount';

const VISIBLE_CMDLINE = '/run/ros/cmdline';

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

/** rancher.password: the rancher user's password for console logins (a `$…` value is already hashed). */
function setPassword(): void {
  let password: unknown;
  try {
    const words = splitCmdline(readFileSync('/proc/cmdline', 'utf8'));
    password = loadConfig({ cmdlineLayers: [cmdlineConfig(words)] }).config.rancher?.password;
  } catch (err) {
    process.stderr.write(`console-init: reading the config: ${(err as Error).message}\n`);
    return;
  }
  if (typeof password !== 'string' && typeof password !== 'number') return;
  const value = String(password);
  let hash = value;
  if (!value.startsWith('$')) {
    const r = spawnSync('/usr/bin/mkpasswd', ['-m', 'sha512', '-S', randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16)], { input: `${value}\n` });
    if (r.status !== 0) {
      process.stderr.write(`console-init: mkpasswd failed: ${r.stderr?.toString().trim()}\n`);
      return;
    }
    hash = r.stdout.toString().trim();
  }
  writeFileSync('/etc/shadow', setShadowHash(readFileSync('/etc/shadow', 'utf8'), 'rancher', hash), { mode: 0o600 });
}

/** Pure: /etc/shadow text with `user`'s password field replaced. */
export function setShadowHash(shadow: string, user: string, hash: string): string {
  return shadow
    .split('\n')
    .map((line) => {
      const f = line.split(':');
      if (f[0] !== user || f.length < 2) return line;
      f[1] = hash;
      return f.join(':');
    })
    .join('\n');
}

/** The console has its own /proc: cover its cmdline too when init published a visible one. */
function hideInitArgs(): void {
  if (!existsSync(VISIBLE_CMDLINE)) return;
  try {
    mount({ source: VISIBLE_CMDLINE, target: '/proc/cmdline', fstype: null, flags: MS.BIND });
  } catch (err) {
    process.stderr.write(`console-init: cannot hide init-only cmdline words: ${(err as Error).message}\n`);
  }
}

export const consoleInitCommand: CommandModule = {
  command: 'console-init',
  describe: false, // internal: the console service's entrypoint
  handler: () => {
    hideInitArgs();
    setPassword();
    const words = splitCmdline(readFileSync('/proc/cmdline', 'utf8'));
    const { rancher } = cmdlineConfig(words) as { rancher?: { autologin?: unknown } };
    for (const { tty, autologin } of consoleTtys(words, rancher?.autologin)) respawn(tty, autologin);
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
    setInterval(() => {}, 1 << 30);
  },
};
