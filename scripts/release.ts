// `make release`: dist/ros-<version>.bundle from the kernel and initrd that
// `make release` built under build/release-<version>/, signed with the key of
// initramfs/signing.ts. docs/architecture.md, "Bundles".
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { buildBundle } from '../src/upgrade/bundle-build';
import { describeKey, signingKey } from '../initramfs/signing';

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  const [version, dir, out] = process.argv.slice(2);
  if (!version || !dir || !out) throw new Error('usage: release.ts VERSION DIR OUT');
  const key = signingKey(ROOT);
  process.stdout.write(`[release] ${describeKey(key)}\n`);
  let commit = 'unknown';
  try { commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* no git */ }
  const m = await buildBundle({ version, commit, files: { vmlinuz: join(dir, 'vmlinuz'), 'initrd.img': join(dir, 'initrd.img') }, privateKeyPem: key.privatePem, out });
  process.stdout.write(`[release] ${out}: v${m.version} (${commit}), ${(statSync(out).size / 1048576).toFixed(1)} MiB, signed by ${key.id}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`[release] FAILED: ${err.message}\n`);
  process.exit(1);
});
