// `make release FROM=`: two builds of one source tree that differ only in
// their version string and one service file. The delta between them must
// rebuild the new parts byte for byte (applied here as a node applies it:
// from the old parts, checked against the new bundle's signed manifest) and
// be at most 10 % of the full bundle. The builds run in a copy of HEAD under
// build/, so the working tree is never changed; they take about a minute each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferReader, listMembers, verifyBundle } from '../../src/upgrade/bundle';
import { parseIndex } from '../../src/upgrade/channel';
import { rebuildFromDelta } from '../../src/upgrade/delta-apply';
import { PARTS, type Manifest } from '../../src/upgrade/manifest';
import { keyId, type TrustedKey } from '../../src/upgrade/signature';
import { signingKey } from '../../initramfs/signing';

const ROOT = join(__dirname, '../..');
const TREE = join(ROOT, 'build/tmp/release-delta');
const SERVICE = 'system-services/catalogue/ntp.yml';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

/** The parts of a bundle, by name. */
function parts(bundle: Buffer): Record<string, Buffer> {
  return Object.fromEntries(listMembers(bufferReader(bundle)).map((m) => [m.name, bundle.subarray(m.offset, m.offset + m.size)]));
}

describe('make release FROM=<older bundle>', () => {
  after(() => rmSync(TREE, { recursive: true, force: true }));

  it('writes a delta that rebuilds the new parts byte for byte, at most 10 % of the bundle', { timeout: 3_600_000 }, async () => {
    // A copy of HEAD sharing this tree's dependencies and package cache; one signing key for both builds.
    rmSync(TREE, { recursive: true, force: true });
    mkdirSync(join(TREE, 'build'), { recursive: true });
    execFileSync('sh', ['-c', `git -C '${ROOT}' archive HEAD | tar -x -C '${TREE}'`]);
    // The copy's lockfile is as old as the epoch, so make sees node_modules/.installed as
    // up to date: an `npm ci` through the link would empty this tree's node_modules.
    utimesSync(join(TREE, 'package-lock.json'), 0, 0);
    assert.ok(existsSync(join(ROOT, 'node_modules/.installed')), 'run npm ci here first');
    symlinkSync(join(ROOT, 'node_modules'), join(TREE, 'node_modules'));
    for (const d of ['debs', 'pkgs', 'apt']) if (existsSync(join(ROOT, 'build', d))) symlinkSync(join(ROOT, 'build', d), join(TREE, 'build', d));
    const key = signingKey(ROOT);
    // zstd level 3 for the root images: what is checked (byte-exact rebuild, the delta's share
    // of the bundle) does not depend on the level, and level 19 took 95 s per build.
    const env = { ...process.env, ROS_SIGNING_KEY: key.from, ROS_SQUASHFS_LEVEL: '3' };
    const make = (...args: string[]): void => void execFileSync('make', ['-C', TREE, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });

    make('release', 'VERSION=9.0.0');
    // The one service file: a label more.
    writeFileSync(join(TREE, SERVICE), `${readFileSync(join(TREE, SERVICE), 'utf8').replace(/labels:\n/, 'labels:\n    io.ros.test.changed: "yes"\n')}`);
    assert.match(readFileSync(join(TREE, SERVICE), 'utf8'), /io\.ros\.test\.changed/, `${SERVICE} has no labels: map to change`);
    make('release', 'VERSION=9.0.1', 'FROM=dist/ros-9.0.0.bundle');

    const dist = join(TREE, 'dist');
    const full = readFileSync(join(dist, 'ros-9.0.1.bundle'));
    const deltaFile = join(dist, 'ros-9.0.0-to-9.0.1.delta');
    const deltaSize = statSync(deltaFile).size;
    const pct = (deltaSize / full.length) * 100;
    process.stdout.write(`# delta ${mib(deltaSize)} (${deltaSize} bytes) for a ${mib(full.length)} (${full.length} bytes) bundle: ${pct.toFixed(2)} %\n`);
    assert.ok(pct <= 10, `the delta is ${pct.toFixed(1)} % of the bundle`);

    // As a node: the old version's parts in its slot, the delta, the trusted key.
    const pub = createPublicKey(key.publicPem);
    const trusted: TrustedKey[] = [{ id: keyId(pub), key: pub, from: key.from }];
    const old = parts(readFileSync(join(dist, 'ros-9.0.0.bundle')));
    const slot = join(TREE, 'slot-a');
    mkdirSync(slot);
    for (const name of PARTS) writeFileSync(join(slot, name), old[name] as Buffer);
    const oldManifest = JSON.parse((old['manifest.json'] as Buffer).toString()) as Manifest;
    const rebuilt = join(TREE, 'rebuilt.bundle');
    assert.equal(await rebuildFromDelta({ delta: deltaFile, baseDir: slot, baseParts: oldManifest.parts, trusted, out: rebuilt, progress: () => {} }), '9.0.1');
    const got = parts(readFileSync(rebuilt));
    const want = parts(full);
    for (const name of PARTS) assert.equal(sha(got[name] as Buffer), sha(want[name] as Buffer), `${name} is not rebuilt byte for byte`);
    assert.equal(verifyBundle(bufferReader(readFileSync(rebuilt)), trusted).manifest.version, '9.0.1');

    // The index lists both, and the delta from 9.0.0.
    const index = parseIndex(readFileSync(join(dist, 'channel.json')));
    assert.ok('index' in index, JSON.stringify(index));
    assert.deepEqual(index.index.releases.map((r) => [r.version, r.deltas.map((d) => d.from)]), [['9.0.1', ['9.0.0']], ['9.0.0', []]]);
    assert.equal(index.index.releases[0]?.deltas[0]?.size, deltaSize);
  });
});
