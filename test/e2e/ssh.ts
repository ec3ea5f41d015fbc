// A real OpenSSH client against the guest's sshd, through QEMU's hostfwd port.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh ed25519 key pair in `dir`. */
export function sshKeyPair(dir: string, name = 'id_ed25519'): KeyPair {
  const privateKey = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'e2e@ros', '-f', privateKey], { stdio: 'pipe' });
  return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, 'utf8').trim() };
}

const COMMON = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=60'];

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

function ssh(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<SshResult> {
  return new Promise((resolve) => {
    execFile('ssh', args, { env, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 255) : 0;
      resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
    });
  });
}

/** Runs `command` as `user` with a key (no password prompts). */
export function sshWithKey(port: number, key: string, user: string, command: string, timeoutMs = 120_000): Promise<SshResult> {
  return ssh([...COMMON, '-o', 'BatchMode=yes', '-o', 'PasswordAuthentication=no', '-i', key, '-p', String(port), `${user}@127.0.0.1`, command], process.env, timeoutMs);
}

/** Runs `command` as `user` with a password, given to ssh through SSH_ASKPASS. */
export function sshWithPassword(dir: string, port: number, user: string, password: string, command: string, timeoutMs = 120_000): Promise<SshResult> {
  const askpass = join(dir, 'askpass.sh');
  writeFileSync(askpass, `#!/bin/sh\necho '${password.replace(/'/g, `'\\''`)}'\n`);
  chmodSync(askpass, 0o700);
  const env = { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
  const args = [...COMMON, '-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'NumberOfPasswordPrompts=1', '-p', String(port), `${user}@127.0.0.1`, command];
  return ssh(args, env, timeoutMs);
}

/** The guest's ed25519 host key, as ssh-keyscan prints it (without the host name). */
export function hostKey(port: number): string {
  const out = execFileSync('ssh-keyscan', ['-T', '60', '-t', 'ed25519', '-p', String(port), '127.0.0.1'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const line = out.split('\n').find((l) => l.includes('ssh-ed25519'));
  if (!line) throw new Error(`ssh-keyscan -p ${port} 127.0.0.1 printed no ed25519 key: ${out}`);
  return line.split(' ').slice(1).join(' ');
}
