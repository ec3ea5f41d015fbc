// `ros console-init`: the console container's main process. Runs a getty on
// each console tty and sshd, and respawns them; ttys named by rancher.autologin
// log in as root without a password.
import { spawn, spawnSync } from 'node:child_process';
import { loadConfig } from '../config/load';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { CommandModule } from 'yargs';
import { splitCmdline } from '../sys/cmdline';
import { consoleTtys } from '../services/console-ttys';
import { cmdlineConfig } from '../sys/cmdline';
import { MS, mount } from '../sys/mount';
import type { RosConfig } from '../config/types';
import { dropbearArgs, ensureHostKeys, installConfiguredKeys, sshPort } from '../services/console-sshd';

const VISIBLE_CMDLINE = '/run/ros/cmdline';

export const AUTOLOGIN = '/usr/sbin/autologin';

function gettyArgs(tty: string, autologin: boolean): string[] {
  const base = ['-L', '115200', tty, 'vt102'];
  return autologin ? ['-n', '-l', AUTOLOGIN, ...base] : base;
}

/** Runs `cmd` and starts it again a second after it exits, for as long as the console runs. */
function respawn(what: string, cmd: string, args: string[], stdio: 'ignore' | 'inherit'): void {
  const child = spawn(cmd, args, { stdio });
  child.once('exit', () => setTimeout(() => respawn(what, cmd, args, stdio), 1000));
  child.once('error', (err) => {
    process.stderr.write(`console-init: ${what}: ${err.message}\n`);
  });
}

function startGetty(tty: string, autologin: boolean): void {
  if (!existsSync(`/dev/${tty}`)) {
    process.stderr.write(`console-init: /dev/${tty} does not exist; no getty there\n`);
    return;
  }
  respawn(`getty on ${tty}`, '/sbin/getty', gettyArgs(tty, autologin), 'ignore');
}

/** sshd for `rancher` (keys from ssh_authorized_keys; a password only with rancher.password). Its log is the console's. */
function startSshd(config: RosConfig): void {
  const ssh = config.rancher?.ssh ?? {};
  if (ssh.daemon === false) {
    process.stderr.write('console-init: rancher.ssh.daemon is false: no sshd\n');
    return;
  }
  let keys: string[];
  try {
    const given = installConfiguredKeys(ssh.keys, (msg) => process.stderr.write(`console-init: ${msg}\n`));
    const generated = ensureHostKeys().filter((k) => !given.includes(k));
    keys = [...given, ...generated];
  } catch (err) {
    process.stderr.write(`console-init: no sshd: making host keys: ${(err as Error).message}\n`);
    return;
  }
  const passwords = config.rancher?.password !== undefined;
  respawn('sshd', '/usr/sbin/dropbear', dropbearArgs({ port: sshPort(ssh.port), passwords, keys }), 'inherit');
}

/** The config in force, as the console sees it (every layer; the cmdline it may see). */
function consoleConfig(): RosConfig {
  try {
    const words = splitCmdline(readFileSync('/proc/cmdline', 'utf8'));
    return loadConfig({ cmdlineLayers: [cmdlineConfig(words)] }).config;
  } catch (err) {
    process.stderr.write(`console-init: reading the config: ${(err as Error).message}\n`);
    return {};
  }
}

/** rancher.password: the rancher user's password for console and ssh logins (a `$…` value is already hashed). */
function setPassword(config: RosConfig): void {
  const password: unknown = config.rancher?.password;
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
    const config = consoleConfig();
    setPassword(config);
    const words = splitCmdline(readFileSync('/proc/cmdline', 'utf8'));
    const { rancher } = cmdlineConfig(words) as { rancher?: { autologin?: unknown } };
    for (const { tty, autologin } of consoleTtys(words, rancher?.autologin)) startGetty(tty, autologin);
    startSshd(config);
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => process.exit(0));
    setInterval(() => {}, 1 << 30);
  },
};
