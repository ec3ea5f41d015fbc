// Delta bundles end to end on small files with the real zstd: made by the
// release code, rebuilt by the node code, checked like a full bundle; a
// corrupt delta gives way to the full bundle, a tampered index is refused.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../../src/upgrade/bundle-build';
import { bufferReader, listMembers, verifyBundle } from '../../../src/upgrade/bundle';
import { encodeIndex, withRelease, type Release } from '../../../src/upgrade/channel';
import { fetchIndex, openRelease } from '../../../src/upgrade/channel-source';
import { buildDelta } from '../../../src/upgrade/delta-build';
import { DeltaError, rebuildFromDelta } from '../../../src/upgrade/delta-apply';
import type { Manifest } from '../../../src/upgrade/manifest';
import { encodeSignature, signManifest, trustedKey, type TrustedKey } from '../../../src/upgrade/signature';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const priv = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const trusted = [trustedKey(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'test') as TrustedKey];
const work = mkdtempSync(join(tmpdir(), 'ros-delta-'));
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const lines: string[] = [];
const progress = (l: string): void => void lines.push(l);

// An "initrd" of random data (incompressible, like a compressed one) that v2 changes in one place.
const initrd1 = randomBytes(2 << 20);
const initrd2 = Buffer.concat([initrd1.subarray(0, 1 << 20), Buffer.from('version 0.2.0 and a new service file'), initrd1.subarray(1 << 20)]);
let m1: Manifest;
let m2: Manifest;

async function bundle(version: string, initrd: Buffer): Promise<Manifest> {
  const dir = join(work, `v${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vmlinuz'), 'the same kernel');
  writeFileSync(join(dir, 'initrd.img'), initrd);
  return buildBundle({ version, commit: 'c', files: { vmlinuz: join(dir, 'vmlinuz'), 'initrd.img': join(dir, 'initrd.img') }, privateKeyPem: priv, out: join(work, `ros-${version}.bundle`) });
}

describe('upgrade: delta bundles (zstd --patch-from)', () => {
  const delta = join(work, 'ros-0.1.0-to-0.2.0.delta');
  before(async () => {
    m1 = await bundle('0.1.0', initrd1);
    m2 = await bundle('0.2.0', initrd2);
    await buildDelta({ from: join(work, 'ros-0.1.0.bundle'), to: join(work, 'ros-0.2.0.bundle'), privateKeyPem: priv, out: delta, workDir: work, progress });
  });

  it('is small, and rebuilds the full bundle, which verifies as one', async () => {
    assert.ok(statSync(delta).size < 64 * 1024, `delta is ${statSync(delta).size} bytes for a 2 MiB part`);
    const out = join(work, 'rebuilt.bundle');
    assert.equal(await rebuildFromDelta({ delta, baseDir: join(work, 'v0.1.0'), baseParts: m1.parts, trusted, out, progress }), '0.2.0');
    const v = verifyBundle(bufferReader(readFileSync(out)), trusted);
    assert.deepEqual(v.manifest, m2);
    assert.equal(sha(readFileSync(out)), sha(readFileSync(join(work, 'ros-0.2.0.bundle'))), 'the rebuilt bundle is the full bundle, byte for byte');
  });

  it('is refused when a patch, the base or the signature is not right', async () => {
    const tampered = join(work, 'tampered.delta');
    const bytes = readFileSync(delta);
    const patch = listMembers(bufferReader(bytes)).find((m) => m.name === 'initrd.img.patch');
    assert.ok(patch);
    const at = patch.offset + Math.floor(patch.size / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    writeFileSync(tampered, bytes);
    const out = join(work, 'x.bundle');
    await assert.rejects(rebuildFromDelta({ delta: tampered, baseDir: join(work, 'v0.1.0'), baseParts: m1.parts, trusted, out, progress }), (e: Error) => e instanceof DeltaError && /patch of initrd\.img is corrupt/.test(e.message));
    await assert.rejects(rebuildFromDelta({ delta, baseDir: join(work, 'v0.2.0'), baseParts: m2.parts, trusted, out, progress }), /not the one the delta from v0\.1\.0 patches/);
    const stranger = [trustedKey(generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'other') as TrustedKey];
    await assert.rejects(rebuildFromDelta({ delta, baseDir: join(work, 'v0.1.0'), baseParts: m1.parts, trusted: stranger, out, progress }), /the delta is signed by key .* which this node does not trust/);
  });

  describe('from a channel index', () => {
    const served = join(work, 'served');
    const release = (): Release => ({
      version: '0.2.0', channel: 'stable', commit: 'c', created: m2.created, notes: '',
      bundle: { file: 'ros-0.2.0.bundle', size: statSync(join(work, 'ros-0.2.0.bundle')).size, sha256: sha(readFileSync(join(work, 'ros-0.2.0.bundle'))) },
      deltas: [{ from: '0.1.0', file: 'ros-0.1.0-to-0.2.0.delta', size: statSync(delta).size, sha256: sha(readFileSync(delta)) }],
    });
    const publish = (dir: string): string => {
      mkdirSync(dir, { recursive: true });
      const bytes = encodeIndex(withRelease(null, release()));
      writeFileSync(join(dir, 'channel.json'), bytes);
      writeFileSync(join(dir, 'channel.json.sig'), encodeSignature(signManifest(bytes, priv)));
      for (const f of ['ros-0.2.0.bundle', 'ros-0.1.0-to-0.2.0.delta']) copyFileSync(join(work, f), join(dir, f));
      return join(dir, 'channel.json');
    };
    const open = async (index: string) => {
      lines.length = 0;
      const i = await fetchIndex(index, trusted);
      const src = await openRelease({ indexUrl: index, release: i.releases[0] as Release, running: { version: '0.1.0', parts: m1.parts }, baseDir: join(work, 'v0.1.0'), trusted, dir: join(work, 'scratch'), progress });
      const v = verifyBundle(src.reader, trusted);
      src.close();
      return { via: src.via, version: v.manifest.version };
    };

    it('uses the delta', async () => {
      assert.deepEqual(await open(publish(served)), { via: 'delta', version: '0.2.0' });
      assert.match(lines.join('\n'), /using a delta from v0\.1\.0/);
    });

    it('falls back to the full bundle when the delta is corrupt', async () => {
      const index = publish(join(work, 'corrupt'));
      const d = join(work, 'corrupt', 'ros-0.1.0-to-0.2.0.delta');
      const bytes = readFileSync(d);
      bytes[1000] = (bytes[1000] ?? 0) ^ 1;
      writeFileSync(d, bytes);
      assert.deepEqual(await open(index), { via: 'full', version: '0.2.0' });
      assert.match(lines.join('\n'), /the delta failed \(.*has sha256 .* the index says .*\); falling back to the full bundle/);
    });

    it('refuses an index whose signature does not verify', async () => {
      const index = publish(join(work, 'tampered'));
      writeFileSync(index, readFileSync(index, 'utf8').replace('"notes": ""', '"notes": "evil"'));
      await assert.rejects(fetchIndex(index, trusted), /refused: channel index .*: the signature of the channel index does not verify/);
      await assert.rejects(fetchIndex(join(work, 'nowhere', 'channel.json'), trusted), /ENOENT/);
    });
  });
});
