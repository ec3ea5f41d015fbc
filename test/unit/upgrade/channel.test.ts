import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseUpdate, encodeIndex, listRows, parseIndex, pickChannel, refUrl, withRelease, type ChannelIndex, type Release } from '../../../src/upgrade/channel';
import { baseMismatch, chooseDownload, type DeltaManifest } from '../../../src/upgrade/delta';
import { compareVersions } from '../../../src/upgrade/manifest';

const sha = (c: string): string => c.repeat(64);
const rel = (version: string, channel = 'stable', deltas: Release['deltas'] = []): Release => ({
  version,
  channel,
  commit: 'c0ffee',
  created: '2026-12-03T10:00:00.000Z',
  notes: `notes of ${version}\nmore`,
  bundle: { file: `ros-${version}.bundle`, size: 140 << 20, sha256: sha('a') },
  deltas,
});
const index = (...releases: Release[]): ChannelIndex => ({ format: 1, releases });

describe('upgrade: channel index', () => {
  it('round-trips, newest first', () => {
    const i = index(rel('0.1.0'), rel('0.10.0'), rel('0.2.0', 'beta', [{ from: '0.1.0', file: 'd', size: 1, sha256: sha('b') }]));
    const parsed = parseIndex(encodeIndex(i));
    assert.ok('index' in parsed);
    assert.deepEqual(parsed.index.releases.map((r) => r.version), ['0.10.0', '0.2.0', '0.1.0']);
  });

  it('says what is wrong, and takes no file outside its own directory', () => {
    const bad = (o: unknown): string => (parseIndex(Buffer.from(JSON.stringify(o))) as { error: string }).error;
    assert.match(bad({ format: 2, releases: [] }), /format 2/);
    assert.match(bad({ format: 1 }), /no releases/);
    assert.match(bad({ format: 1, releases: [{ ...rel('1.0.0'), version: 'latest' }] }), /releases\[0\]\.version "latest"/);
    assert.match(bad({ format: 1, releases: [{ ...rel('1.0.0'), bundle: { file: '../etc/passwd', size: 1, sha256: sha('a') } }] }), /bundle\.file .* not a plain file name/);
    assert.match(bad({ format: 1, releases: [{ ...rel('1.0.0'), bundle: { file: 'http://evil/x', size: 1, sha256: sha('a') } }] }), /not a plain file name/);
    assert.match(bad({ format: 1, releases: [{ ...rel('1.0.0'), deltas: [{ from: 'x', file: 'd', size: 1, sha256: sha('a') }] }] }), /deltas\[0\]\.from "x"/);
    assert.match((parseIndex(Buffer.from('{')) as { error: string }).error, /not JSON/);
  });

  it('adds a release, replacing the same version and keeping its deltas from other bases', () => {
    const d1 = { from: '0.1.0', file: 'ros-0.1.0-to-0.3.0.delta', size: 5, sha256: sha('1') };
    const d2 = { from: '0.2.0', file: 'ros-0.2.0-to-0.3.0.delta', size: 5, sha256: sha('2') };
    let i = withRelease(null, rel('0.2.0'));
    i = withRelease(i, rel('0.3.0', 'stable', [d1]));
    i = withRelease(i, rel('0.3.0', 'stable', [d2]));
    assert.deepEqual(i.releases.map((r) => r.version), ['0.3.0', '0.2.0']);
    assert.deepEqual(i.releases[0]?.deltas.map((d) => d.from), ['0.2.0', '0.1.0']);
    // A rebuilt bundle (another sha256) drops the deltas made for the old one.
    i = withRelease(i, { ...rel('0.3.0'), bundle: { ...rel('0.3.0').bundle, sha256: sha('f') } });
    assert.deepEqual(i.releases[0]?.deltas, []);
  });

  it('picks the channel: the named one, the only one, or stable', () => {
    assert.deepEqual(pickChannel(index(rel('1.0.0', 'beta')), undefined), { channel: 'beta' });
    assert.deepEqual(pickChannel(index(rel('1.0.0', 'beta'), rel('0.9.0')), undefined), { channel: 'stable' });
    assert.deepEqual(pickChannel(index(rel('1.0.0', 'beta'), rel('0.9.0')), 'beta'), { channel: 'beta' });
    assert.match((pickChannel(index(rel('1.0.0')), 'edge') as { error: string }).error, /no channel "edge".*it has stable/);
    assert.match((pickChannel(index(rel('1.0.0', 'beta'), rel('1.0.0', 'edge')), undefined) as { error: string }).error, /several channels \(beta, edge\).*set rancher\.upgrade\.channel/);
  });

  it('chooses the newest release of the channel when it is newer than the running version', () => {
    const i = index(rel('0.1.0'), rel('0.2.0'), rel('0.3.0', 'beta'));
    assert.equal((chooseUpdate(i, 'stable', '0.1.0') as { release: Release }).release.version, '0.2.0');
    assert.equal((chooseUpdate(i, 'beta', '0.1.0') as { release: Release }).release.version, '0.3.0');
    assert.match((chooseUpdate(i, 'stable', '0.2.0') as { why: string }).why, /v0\.2\.0 is the newest of channel stable/);
    // Never down: a node newer than its channel stays.
    assert.equal(chooseUpdate(i, 'stable', '0.2.1').kind, 'none');
    assert.match((chooseUpdate(index(), 'stable', '0.1.0') as { why: string }).why, /no releases/);
  });

  it('skips versions whose trial failed here, down to the next newer one', () => {
    const i = index(rel('0.1.0'), rel('0.2.0'), rel('0.3.0'));
    assert.equal((chooseUpdate(i, 'stable', '0.1.0', ['0.3.0']) as { release: Release }).release.version, '0.2.0');
    assert.match((chooseUpdate(index(rel('0.2.0')), 'stable', '0.1.0', ['0.2.0']) as { why: string }).why, /failed its trial boot here before/);
  });

  it('resolves files relative to the index', () => {
    assert.equal(refUrl('http://10.0.2.100/ros/channel.json', 'ros-0.2.0.bundle'), 'http://10.0.2.100/ros/ros-0.2.0.bundle');
    assert.equal(refUrl('file:///srv/channel.json', 'ros-0.2.0.bundle'), 'file:///srv/ros-0.2.0.bundle');
  });

  it('lists the channel with the running version marked', () => {
    const rows = listRows(index(rel('0.1.0'), rel('0.2.0', 'stable', [{ from: '0.1.0', file: 'd', size: 1, sha256: sha('b') }]), rel('0.3.0', 'beta')), 'stable', '0.1.0');
    assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
      ['VERSION', '', 'BUNDLE', 'DELTA FROM'],
      ['v0.2.0', 'newer', '140.0 MiB', 'v0.1.0'],
      ['v0.1.0', '* running', '140.0 MiB', '-'],
    ]);
    assert.equal(rows[1]?.[5], 'notes of 0.2.0');
  });
});

describe('upgrade: delta or full bundle', () => {
  const parts = { vmlinuz: { size: 10, sha256: sha('1') }, 'initrd.img': { size: 20, sha256: sha('2') } };
  const withDelta = rel('0.2.0', 'stable', [{ from: '0.1.0', file: 'ros-0.1.0-to-0.2.0.delta', size: 3 << 20, sha256: sha('d') }]);

  it('takes the delta from the running version when the slot says what its parts are', () => {
    const c = chooseDownload(withDelta, { version: '0.1.0', parts });
    assert.equal(c.kind, 'delta');
    assert.match(c.why, /3\.0 MiB instead of 140\.0 MiB/);
  });

  it('falls back to the full bundle otherwise, saying why', () => {
    const why = (r: Release, v: string, p: typeof parts | null, failed: string[] = []): string => {
      const c = chooseDownload(r, { version: v, parts: p }, failed);
      assert.equal(c.kind, 'full');
      return c.why;
    };
    assert.match(why(withDelta, '0.1.1', parts), /deltas from v0\.1\.0 only; this node runs v0\.1\.1/);
    assert.match(why(rel('0.2.0'), '0.1.0', parts), /has no delta/);
    assert.match(why(withDelta, '0.1.0', null), /running slot has no manifest/);
    assert.match(why(withDelta, '0.1.0', parts, ['ros-0.1.0-to-0.2.0.delta']), /did not apply/);
    assert.match(why({ ...withDelta, deltas: [{ ...withDelta.deltas[0]!, size: 200 << 20 }] }, '0.1.0', parts), /not smaller/);
  });

  it('checks that the running slot holds the exact base of a delta', () => {
    const d = { from: { version: '0.1.0', parts } } as DeltaManifest;
    assert.equal(baseMismatch(d, parts), null);
    assert.match(baseMismatch(d, { ...parts, 'initrd.img': { size: 20, sha256: sha('9') } }) ?? '', /initrd\.img is not the one the delta from v0\.1\.0 patches/);
  });
});

describe('upgrade: version order', () => {
  it('orders pre-releases by their dot-separated parts, numbers numerically', () => {
    assert.equal(compareVersions('1.0.0-rc.2', '1.0.0-rc.10'), -1);
    assert.equal(compareVersions('1.0.0-alpha', '1.0.0-alpha.1'), -1);
    assert.equal(compareVersions('1.0.0-beta', '1.0.0-alpha.9'), 1);
    assert.equal(compareVersions('1.0.0-rc.1', '1.0.0-1'), 1);
    assert.equal(compareVersions('1.0.0+build.5', '1.0.0'), 0);
  });
});
