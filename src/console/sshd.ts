// The console's ssh daemon (dropbear): its arguments (pure) and its host keys.
// Host keys live on the state disk so a reboot does not change the machine's
// identity; a key is generated to a temp name and renamed, so a power cut
// never leaves a torn key that would stop sshd from starting.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitFile } from '../sys/atomic-write';
import { runTool } from '../sys/run-tool';

export const HOST_KEY_DIR = '/var/lib/rancher/ssh';
/** ed25519 first (every current client), ecdsa for older ones; RSA is slow to make under emulation. */
export const HOST_KEY_TYPES = ['ed25519', 'ecdsa'] as const;
export const DEFAULT_SSH_PORT = 22;

export const hostKeyPath = (type: string, dir = HOST_KEY_DIR) => `${dir}/dropbear_${type}_host_key`;

export interface SshdOptions {
  port: number;
  /** rancher.ssh.listen_address: only this address (an IPv6 one in brackets, as dropbear wants). */
  address?: string;
  /** Password logins only when rancher.password is set; keys always. */
  passwords: boolean;
  keys: string[];
}

/** Pure: dropbear's argv: foreground, log to stderr, no root logins. */
export function dropbearArgs(o: SshdOptions): string[] {
  const addr = o.address ? `${o.address.includes(':') && !o.address.startsWith('[') ? `[${o.address}]` : o.address}:` : '';
  return ['-F', '-E', '-w', ...(o.passwords ? [] : ['-s']), '-p', `${addr}${o.port}`, ...o.keys.flatMap((k) => ['-r', k])];
}

/** Pure: the port from rancher.ssh.port, or the default. */
export function sshPort(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : DEFAULT_SSH_PORT;
}

/** Key types dropbear reads that rancher.ssh.keys may give. */
export const CONFIGURABLE_KEY_TYPES = ['rsa', 'ecdsa', 'ed25519'];

/** Pure: the private keys of rancher.ssh.keys by type, and a problem for each entry that is not one. */
export function configuredKeys(keys: Record<string, string> | undefined): { keys: [string, string][]; problems: string[] } {
  const out: [string, string][] = [];
  const problems: string[] = [];
  for (const [name, value] of Object.entries(keys ?? {})) {
    if (name.endsWith('-pub')) continue;
    if (!CONFIGURABLE_KEY_TYPES.includes(name)) problems.push(`rancher.ssh.keys.${name}: not a host key type (${CONFIGURABLE_KEY_TYPES.join(', ')})`);
    else out.push([name, value]);
  }
  return { keys: out, problems };
}

/**
 * Converts the OpenSSH private keys of rancher.ssh.keys to dropbear's format
 * into the key directory, replacing a kept key only when it differs. A key
 * that does not convert is reported and its type falls back to a generated one.
 */
export function installConfiguredKeys(keys: Record<string, string> | undefined, warn: (msg: string) => void, dir = HOST_KEY_DIR): string[] {
  const { keys: wanted, problems } = configuredKeys(keys);
  problems.forEach(warn);
  if (wanted.length === 0) return [];
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(dir, '.convert-'));
  const done: string[] = [];
  try {
    for (const [type, text] of wanted) {
      const src = join(work, type);
      writeFileSync(src, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
      const converted = join(work, `${type}.dropbear`);
      try {
        runTool('dropbearconvert', ['openssh', 'dropbear', src, converted]);
      } catch (err) {
        warn(`rancher.ssh.keys.${type}: not an OpenSSH private key dropbear can read (${(err as Error).message}); using a generated key`);
        continue;
      }
      const file = hostKeyPath(type, dir);
      const same = existsSync(file) && readFileSync(file).equals(readFileSync(converted));
      if (!same) commitFile(converted, file);
      done.push(file);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return done;
}

/** Makes the host keys that are missing; returns their paths. */
export function ensureHostKeys(dir = HOST_KEY_DIR): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return HOST_KEY_TYPES.map((type) => {
    const file = hostKeyPath(type, dir);
    if (!existsSync(file)) {
      const tmp = `${file}.tmp`;
      rmSync(tmp, { force: true });
      runTool('dropbearkey', ['-t', type, '-f', tmp]);
      commitFile(tmp, file);
    }
    return file;
  });
}
