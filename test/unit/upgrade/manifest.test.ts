import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, encodeManifest, makeManifest, parseManifest } from '../../../src/upgrade/manifest';

const digest = { size: 1, sha256: 'a'.repeat(64) };

describe('upgrade: manifest', () => {
  it('round-trips', () => {
    const m = makeManifest('1.2.3', 'abc', new Date(0), { vmlinuz: digest, 'initrd.img': digest });
    assert.deepEqual(parseManifest(encodeManifest(m)), { manifest: m });
  });

  it('says what is wrong', () => {
    const bad = (o: unknown): string => (parseManifest(Buffer.from(JSON.stringify(o))) as { error: string }).error;
    assert.match(bad({ format: 2 }), /format 2; this ros reads format 1/);
    assert.match(bad({ format: 1, version: 'latest' }), /"latest" is not x\.y\.z/);
    assert.match(bad({ format: 1, version: '1.0.0', commit: 'c', created: 'd', parts: { vmlinuz: digest } }), /part initrd\.img needs/);
    assert.match(bad({ format: 1, version: '1.0.0', commit: 'c', created: 'd', parts: { vmlinuz: digest, 'initrd.img': digest, evil: digest } }), /does not know: evil/);
    assert.match((parseManifest(Buffer.from('{')) as { error: string }).error, /not JSON/);
  });

  it('orders versions, a pre-release before its release', () => {
    assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
    assert.equal(compareVersions('1.10.0', '1.9.9'), 1);
    assert.equal(compareVersions('0.1.0', '1.0.0'), -1);
    assert.equal(compareVersions('1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(compareVersions('1.0.0', '1.0.0-rc.1'), 1);
  });
});
