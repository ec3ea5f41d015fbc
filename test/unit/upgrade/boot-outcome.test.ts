import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { atBoot, atBootComplete } from '../../../src/upgrade/boot-outcome';
import { armed, trialAt } from '../../../src/upgrade/record';
import type { SlotEnv } from '../../../src/upgrade/slots';

const t = new Date('2026-12-03T12:00:00Z');
const armedRec = armed('1.0.0', '2.0.0', 'b', t);

describe('upgrade: what init does with the slots', () => {
  it('a trial boot records its progress and is marked good at boot-complete', () => {
    const env: SlotEnv = { default: 'a', trial: 'b', trialBooted: true };
    const boot = atBoot(env, 'b', '2.0.0', armedRec, t);
    assert.equal(boot.trial, true);
    assert.equal(boot.env, undefined);
    assert.equal(boot.record?.outcome, 'trial');
    const done = atBootComplete(env, 'b', boot.record ?? null, t);
    assert.deepEqual(done?.env, { default: 'b', trial: null, trialBooted: false });
    assert.equal(done?.record?.outcome, 'succeeded');
    assert.match(done?.message ?? '', /v1\.0\.0 -> v2\.0\.0 \(slot b\) succeeded/);
  });

  it('the old slot after a failed trial clears it and says which version failed and how far it got', () => {
    const env: SlotEnv = { default: 'a', trial: 'b', trialBooted: true };
    const boot = atBoot(env, 'a', '1.0.0', trialAt(armedRec, 'services', t), t);
    assert.deepEqual(boot.env, { default: 'a', trial: null, trialBooted: false });
    assert.equal(boot.record?.outcome, 'failed');
    assert.match(boot.message ?? '', /v2\.0\.0 \(slot b\) FAILED .*last stage reached: services/);
    assert.match(atBoot(env, 'a', '1.0.0', armedRec, t).message ?? '', /did not reach init/);
  });

  it('a normal boot changes nothing, and boot-complete of a normal boot neither', () => {
    const env: SlotEnv = { default: 'a', trial: null, trialBooted: false };
    assert.deepEqual(atBoot(env, 'a', '1.0.0', null, t), { trial: false });
    assert.equal(atBootComplete(env, 'a', null, t), null);
  });

  it('tidies a record a power cut left: armed but never armed in GRUB, or good but not recorded', () => {
    const env: SlotEnv = { default: 'a', trial: null, trialBooted: false };
    assert.match(atBoot(env, 'a', '1.0.0', armedRec, t).record?.reason ?? '', /interrupted before its trial boot/);
    const good: SlotEnv = { default: 'b', trial: null, trialBooted: false };
    assert.equal(atBoot(good, 'b', '2.0.0', trialAt(armedRec, 'cloud-init', t), t).record?.outcome, 'succeeded');
  });
});
