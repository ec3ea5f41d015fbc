// `make release`: dist/ros-<version>.bundle from the kernel and initrd that
// `make release` built under build/release-<version>/, signed with the key of
// initramfs/signing.ts; with FROM=<older bundle>, the delta from it too; and
// the channel index of dist/ with this release in it. docs/architecture.md,
// "Bundles", "Channels", "Delta bundles".
//   release.ts VERSION DIR OUT [--from=BUNDLE] [--channel=NAME] [--notes=TEXT]
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildBundle, sha256File } from '../src/upgrade/bundle-build';
import { DEFAULT_CHANNEL, INDEX_SIG_SUFFIX, encodeIndex, parseIndex, withRelease, type ChannelIndex, type DeltaRef } from '../src/upgrade/channel';
import { buildDelta } from '../src/upgrade/delta-build';
import { checkSignature, encodeSignature, keyId, signManifest } from '../src/upgrade/signature';
import { describeKey, signingKey, type SigningKey } from '../initramfs/signing';

const ROOT = join(__dirname, '..');
/** The index beside the bundles; its signature is INDEX beside it plus `.sig`. */
const INDEX = 'channel.json';
const say = (line: string): void => void process.stdout.write(`[release] ${line}\n`);
const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

function option(args: string[], name: string): string | undefined {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.slice(name.length + 3);
}

/** The index already in `dir`, which must be signed by this key (or none). */
function readIndex(file: string, key: SigningKey): ChannelIndex | null {
  if (!existsSync(file)) return null;
  const bytes = readFileSync(file);
  const pub = createPublicKey(key.publicPem);
  const bad = existsSync(`${file}${INDEX_SIG_SUFFIX}`)
    ? checkSignature(bytes, readFileSync(`${file}${INDEX_SIG_SUFFIX}`), [{ id: keyId(pub), key: pub, from: key.from }], { thing: file, file, sig: `${file}${INDEX_SIG_SUFFIX}` })
    : `${file}${INDEX_SIG_SUFFIX} is missing`;
  if (bad) throw new Error(`${bad}; move ${file} away to start a new index`);
  const parsed = parseIndex(bytes);
  if ('error' in parsed) throw new Error(`${file}: ${parsed.error}`);
  return parsed.index;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const [version, dir, out] = args.filter((a) => !a.startsWith('--'));
  if (!version || !dir || !out) throw new Error('usage: release.ts VERSION DIR OUT [--from=BUNDLE] [--channel=NAME] [--notes=TEXT]');
  const from = option(args, 'from') || undefined;
  const channel = option(args, 'channel') || DEFAULT_CHANNEL;
  const notes = option(args, 'notes') ?? '';
  if (from && !existsSync(from)) throw new Error(`FROM=${from}: no such bundle`);
  const key = signingKey(ROOT);
  say(describeKey(key));
  const dist = dirname(out);
  // A fresh checkout has no dist/: the release build writes its trees under build/.
  mkdirSync(dist, { recursive: true });
  const indexFile = join(dist, INDEX);
  // Refuse a foreign index before spending minutes on the delta.
  const index = readIndex(indexFile, key);
  let commit = 'unknown';
  try { commit = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* no git */ }
  const m = await buildBundle({ version, commit, files: { vmlinuz: join(dir, 'vmlinuz'), 'initrd.img': join(dir, 'initrd.img') }, privateKeyPem: key.privatePem, out });
  const size = statSync(out).size;
  say(`${out}: v${m.version} (${commit}), ${mib(size)}, signed by ${key.id}`);
  const deltas: DeltaRef[] = [];
  if (from) {
    const t0 = Date.now();
    const tmp = join(dist, 'ros.delta.tmp');
    const d = await buildDelta({ from, to: out, privateKeyPem: key.privatePem, out: tmp, workDir: join(ROOT, 'build/tmp'), progress: say });
    const file = `ros-${d.from.version}-to-${version}.delta`;
    execFileSync('mv', [tmp, join(dist, file)]);
    const dsize = statSync(join(dist, file)).size;
    deltas.push({ from: d.from.version, file, size: dsize, sha256: await sha256File(join(dist, file)) });
    say(`${join(dist, file)}: v${d.from.version} -> v${version}, ${mib(dsize)} = ${((dsize / size) * 100).toFixed(1)} % of the bundle (${((Date.now() - t0) / 1000).toFixed(0)} s; checked: it rebuilds every part byte for byte)`);
  }
  const next = withRelease(index, {
    version,
    channel,
    commit,
    created: m.created,
    notes,
    bundle: { file: basename(out), size, sha256: await sha256File(out) },
    deltas,
  });
  const bytes = encodeIndex(next);
  writeFileSync(`${indexFile}.tmp`, bytes);
  writeFileSync(`${indexFile}${INDEX_SIG_SUFFIX}.tmp`, encodeSignature(signManifest(bytes, key.privatePem)));
  execFileSync('mv', [`${indexFile}.tmp`, indexFile]);
  execFileSync('mv', [`${indexFile}${INDEX_SIG_SUFFIX}.tmp`, `${indexFile}${INDEX_SIG_SUFFIX}`]);
  say(`${indexFile}: ${next.releases.length} release(s): ${next.releases.map((r) => `v${r.version} (${r.channel}${r.deltas.length ? `, delta from ${r.deltas.map((x) => `v${x.from}`).join(', ')}` : ''})`).join(', ')}; signed by ${key.id}`);
}

main().catch((err: Error) => {
  process.stderr.write(`[release] FAILED: ${err.message}\n`);
  process.exit(1);
});
