// The upgrade steps on a state directory in /tmp: what lands where, what a
// refused bundle leaves (nothing), and what a crash at each step leaves.
import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../../src/upgrade/bundle-build';
import { bufferReader } from '../../../src/upgrade/bundle';
import { readSlotEnv, slotManifest, writeSlotEnv, fileReader } from '../../../src/upgrade/slot-files';
import { trustedKey, type TrustedKey } from '../../../src/upgrade/signature';
import { readRecord, upgrade, type UpgradeInput } from '../../../src/upgrade/upgrade';
import { rollback } from '../../../src/upgrade/rollback';
import { describeRecord } from '../../../src/upgrade/record';
import { versionsToSkip } from '../../../src/upgrade/updater';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const priv = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const trusted = trustedKey(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'test') as TrustedKey;
const work = mkdtempSync(join(tmpdir(), 'ros-upgrade-'));

async function makeBundle(version: string): Promise<Buffer> {
  const dir = mkdtempSync(join(work, 'b-'));
  writeFileSync(join(dir, 'vmlinuz'), `kernel ${version}`);
  writeFileSync(join(dir, 'initrd.img'), Buffer.alloc(300_000, version));
  const out = join(dir, 'x.bundle');
  await buildBundle({ version, commit: 'c0ffee', files: { vmlinuz: join(dir, 'vmlinuz'), 'initrd.img': join(dir, 'initrd.img') }, privateKeyPem: priv, out });
  return readFileSync(out);
}

/** sha256 of every file under dir, by path: "nothing on the disk changed". */
function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

let state: string;
let v1: Buffer;
let v2: Buffer;
const lines: string[] = [];

async function installedV1(): Promise<string> {
  const root = mkdtempSync(join(work, 'state-'));
  writeSlotEnv(root, { default: 'a', trial: null, trialBooted: false });
  v1 ??= await makeBundle('1.0.0');
  upgradeWith(root, v1, { running: 'b', runningVersion: '0.0.1' });
  // As ros install leaves it: slot a good and the default.
  writeSlotEnv(root, { default: 'a', trial: null, trialBooted: false });
  return root;
}

function upgradeWith(root: string, bytes: Buffer, o: Partial<UpgradeInput> = {}) {
  return upgrade({ stateRoot: root, running: 'a', runningVersion: '1.0.0', bundle: bufferReader(bytes), trusted: [trusted], force: false, checkpoint: () => {}, progress: (l) => lines.push(l), ...o });
}

describe('upgrade: writing a slot', () => {
  beforeEach(async () => {
    state = await installedV1();
    v2 ??= await makeBundle('2.0.0');
  });

  it('writes the inactive slot, records, and arms one trial', () => {
    const r = upgradeWith(state, v2);
    assert.equal(r.slot, 'b');
    assert.equal(slotManifest(state, 'b')?.version, '2.0.0');
    assert.equal(slotManifest(state, 'a')?.version, '1.0.0');
    assert.equal(readFileSync(join(state, 'boot/slots/b/vmlinuz'), 'utf8'), 'kernel 2.0.0');
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: 'b', trialBooted: false });
    assert.equal(readRecord(state)?.outcome, 'armed');
    assert.deepEqual(readdirSync(join(state, 'boot/slots')).sort(), ['a', 'b']);
  });

  it('works from a file, as ros os upgrade reads it', () => {
    const f = join(work, 'v2.bundle');
    writeFileSync(f, v2);
    const fd = openSync(f, 'r');
    try {
      upgrade({ stateRoot: state, running: 'a', runningVersion: '1.0.0', bundle: fileReader(fd, statSync(f).size), trusted: [trusted], force: false, checkpoint: () => {}, progress: () => {} });
    } finally {
      closeSync(fd);
    }
    assert.equal(slotManifest(state, 'b')?.version, '2.0.0');
  });

  it('changes nothing on the disk for a flipped byte, an untrusted key or an older version', () => {
    const before = treeHash(state);
    const bad = Buffer.from(v2);
    bad[bad.length - 3000] = (bad[bad.length - 3000] ?? 0) ^ 0xff;
    assert.throws(() => upgradeWith(state, bad), /sha256 of initrd\.img/);
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    assert.throws(() => upgradeWith(state, v2, { trusted: [trustedKey(other, 'other') as TrustedKey] }), /does not trust/);
    assert.throws(() => upgradeWith(state, v1), /v1\.0\.0 and this node runs v1\.0\.0; .* needs -f/);
    assert.deepEqual(treeHash(state), before);
  });

  it('leaves the old default bootable when it crashes before arming', () => {
    assert.throws(() => upgradeWith(state, v2, { checkpoint: () => { throw new Error('power cut'); } }), /power cut/);
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: null, trialBooted: false });
  });

  it('disarms a pending trial of the slot before writing it again', () => {
    upgradeWith(state, v2);
    assert.throws(() => upgradeWith(state, v2, { checkpoint: () => { throw new Error('power cut'); } }), /power cut/);
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: null, trialBooted: false });
  });

  it('refuses during a trial boot and on a disk without slots', () => {
    writeSlotEnv(state, { default: 'a', trial: 'b', trialBooted: true });
    assert.throws(() => upgradeWith(state, v2, { running: 'b' }), /trial of slot b, not yet good/);
    const bare = mkdtempSync(join(work, 'bare-'));
    mkdirSync(join(bare, 'boot'));
    assert.throws(() => upgradeWith(bare, v2), /cannot read the boot slots: .*ENOENT.*A\/B slots/);
  });

  it('rolls back to the other slot, and refuses a slot whose trial failed unless forced', () => {
    upgradeWith(state, v2);
    writeSlotEnv(state, { default: 'b', trial: null, trialBooted: false });
    assert.deepEqual(rollback(state, 'b', '2.0.0', false, () => {}), { slot: 'a', version: '1.0.0' });
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: null, trialBooted: false });
    assert.equal(readRecord(state)?.outcome, 'rolled-back');
    writeFileSync(join(state, 'var/lib/rancher/upgrade/last.json'), JSON.stringify({ from: '1.0.0', to: '2.0.0', slot: 'b', outcome: 'failed', reason: 'x', at: '' }));
    assert.throws(() => rollback(state, 'a', '1.0.0', false, () => {}), /trial boot failed \(x\); -f/);
    assert.equal(rollback(state, 'a', '1.0.0', true, () => {}).slot, 'b');
  });

  it('disarms a version only staged instead of switching to it, and the updater skips it', () => {
    upgradeWith(state, v2);
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: 'b', trialBooted: false });
    assert.deepEqual(rollback(state, 'a', '1.0.0', false, () => {}), { slot: 'a', version: '1.0.0', cancelled: '2.0.0' });
    assert.deepEqual(readSlotEnv(state), { default: 'a', trial: null, trialBooted: false });
    const r = readRecord(state);
    assert.ok(r);
    assert.equal(r.outcome, 'cancelled');
    assert.deepEqual(versionsToSkip(r), ['2.0.0']);
    assert.match(describeRecord(r), /v1\.0\.0 -> v2\.0\.0 \(slot b\) was cancelled before its trial/);
  });

  it('keeps variables of others in the GRUB environment block', () => {
    const file = join(state, 'boot/grub/grubenv');
    writeFileSync(file, '# GRUB Environment Block\nsaved_entry=x\nros_default=a\n'.padEnd(1024, '#'));
    upgradeWith(state, v2);
    assert.match(readFileSync(file, 'latin1'), /^saved_entry=x$/m);
    assert.equal(statSync(file).size, 1024);
  });
});
