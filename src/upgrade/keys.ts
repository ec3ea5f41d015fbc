// The keys a node trusts: every *.pem of the image's key directory, then
// rancher.upgrade.keys. A key that does not parse is reported, not fatal:
// the others still count.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { trustedKey, type TrustedKey } from './signature';

export function loadTrustedKeys(dir: string, configKeys: readonly string[] = []): { keys: TrustedKey[]; problems: string[] } {
  const keys: TrustedKey[] = [];
  const problems: string[] = [];
  const add = (k: ReturnType<typeof trustedKey>): void => {
    if ('error' in k) problems.push(k.error);
    else if (!keys.some((o) => o.id === k.id)) keys.push(k);
  };
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.pem')).sort();
  } catch (err) {
    problems.push(`${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  for (const f of files) add(trustedKey(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  configKeys.forEach((pem, i) => add(trustedKey(pem, `rancher.upgrade.keys[${i}]`)));
  return { keys, problems };
}
