// The console's ssh daemon (dropbear): its arguments (pure) and its host keys.
// Host keys live on the state disk so a reboot does not change the machine's
// identity; a key is generated to a temp name and renamed, so a power cut
// never leaves a torn key that would stop sshd from starting.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { commitFile } from '../sys/atomic-write';

export const HOST_KEY_DIR = '/var/lib/rancher/ssh';
/** ed25519 first (every current client), ecdsa for older ones; RSA is slow to make under emulation. */
export const HOST_KEY_TYPES = ['ed25519', 'ecdsa'] as const;
export const DEFAULT_SSH_PORT = 22;

export const hostKeyPath = (type: string, dir = HOST_KEY_DIR) => `${dir}/dropbear_${type}_host_key`;

export interface SshdOptions {
  port: number;
  /** Password logins only when rancher.password is set; keys always. */
  passwords: boolean;
  keys: string[];
}

/** Pure: dropbear's argv: foreground, log to stderr, no root logins. */
export function dropbearArgs(o: SshdOptions): string[] {
  return ['-F', '-E', '-w', ...(o.passwords ? [] : ['-s']), '-p', String(o.port), ...o.keys.flatMap((k) => ['-r', k])];
}

/** Pure: the port from rancher.ssh.port, or the default. */
export function sshPort(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : DEFAULT_SSH_PORT;
}

/** Makes the host keys that are missing; returns their paths. */
export function ensureHostKeys(dir = HOST_KEY_DIR): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return HOST_KEY_TYPES.map((type) => {
    const file = hostKeyPath(type, dir);
    if (!existsSync(file)) {
      const tmp = `${file}.tmp`;
      rmSync(tmp, { force: true });
      execFileSync('dropbearkey', ['-t', type, '-f', tmp], { stdio: 'pipe' });
      commitFile(tmp, file);
    }
    return file;
  });
}
