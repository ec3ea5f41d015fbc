// rancher.password: the `rancher` user's password for console and ssh logins.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

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

/** Hashes `password` (a `$…` value is taken as already hashed) and writes it for `rancher` into the console's /etc/shadow. */
export function setRancherPassword(password: string): void {
  let hash = password;
  if (!password.startsWith('$')) {
    const salt = randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
    const r = spawnSync('/usr/bin/mkpasswd', ['-m', 'sha512', '-S', salt], { input: `${password}\n` });
    if (r.status !== 0) throw new Error(`mkpasswd: ${r.stderr?.toString().trim() || `exit ${r.status}`}`);
    hash = r.stdout.toString().trim();
  }
  writeFileSync('/etc/shadow', setShadowHash(readFileSync('/etc/shadow', 'utf8'), 'rancher', hash), { mode: 0o600 });
}
