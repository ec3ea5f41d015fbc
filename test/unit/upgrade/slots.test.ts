import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { armTrial, bootRole, disarm, grubChoice, grubVars, markGood, rollbackEnv, slotEnv, type Slot, type SlotEnv } from '../../../src/upgrade/slots';
import { encodeGrubenv, parseGrubenv } from '../../../src/upgrade/grubenv';

const fresh: SlotEnv = { default: 'a', trial: null, trialBooted: false };

/** One power-on: GRUB chooses and saves, then the booted system either completes or dies. */
function powerOn(env: SlotEnv, completes: (slot: Slot) => boolean): { env: SlotEnv; booted: Slot; role: string } {
  const g = grubChoice(env);
  const role = bootRole(g.env, g.boot);
  let next = role.kind === 'after-failed-trial' ? role.next : g.env;
  if (completes(g.boot) && role.kind === 'trial') next = markGood(next, g.boot);
  return { env: next, booted: g.boot, role: role.kind };
}

describe('upgrade: slot state machine', () => {
  it('boots the default when nothing is armed', () => {
    assert.deepEqual(powerOn(fresh, () => true), { env: fresh, booted: 'a', role: 'normal' });
  });

  it('a trial that reaches boot-complete becomes the default', () => {
    const armed = armTrial(fresh, 'a');
    assert.deepEqual(armed, { default: 'a', trial: 'b', trialBooted: false });
    const first = powerOn(armed, () => true);
    assert.equal(first.booted, 'b');
    assert.equal(first.role, 'trial');
    assert.deepEqual(first.env, { default: 'b', trial: null, trialBooted: false });
    assert.equal(powerOn(first.env, () => true).booted, 'b');
  });

  it('a trial that dies is tried once; the old slot comes back and learns it failed', () => {
    const first = powerOn(armTrial(fresh, 'a'), (s) => s === 'a');
    assert.equal(first.booted, 'b');
    // GRUB consumed the trial before the kernel ran: the dead boot changed nothing else.
    assert.deepEqual(first.env, { default: 'a', trial: 'b', trialBooted: true });
    const second = powerOn(first.env, (s) => s === 'a');
    assert.equal(second.booted, 'a');
    assert.equal(second.role, 'after-failed-trial');
    assert.deepEqual(second.env, fresh);
    const third = powerOn(second.env, (s) => s === 'a');
    assert.equal(third.role, 'normal');
  });

  it('names the failed slot after a failed trial', () => {
    const role = bootRole({ default: 'a', trial: 'b', trialBooted: true }, 'a');
    assert.equal(role.kind === 'after-failed-trial' && role.failed, 'b');
  });

  it('disarms a trial of the slot about to be written, and only that one', () => {
    const armed = armTrial(fresh, 'a');
    assert.deepEqual(disarm(armed, 'b'), fresh);
    assert.deepEqual(disarm(armed, 'a'), armed);
  });

  it('rolls back to the other slot without a trial', () => {
    assert.deepEqual(rollbackEnv('b'), fresh);
    assert.equal(powerOn(rollbackEnv('b'), () => true).booted, 'a');
  });

  it('round-trips through a GRUB environment block and rejects nonsense', () => {
    const env: SlotEnv = { default: 'b', trial: 'a', trialBooted: true };
    const vars = parseGrubenv(encodeGrubenv(grubVars(env)));
    assert.ok(!('error' in vars));
    assert.deepEqual(slotEnv(vars), env);
    assert.match((slotEnv({ ros_default: 'c' }) as { error: string }).error, /ros_default is "c"/);
    assert.match((slotEnv({ ros_default: 'a', ros_trial: 'x' }) as { error: string }).error, /ros_trial is "x"/);
  });
});

describe('upgrade: GRUB environment block', () => {
  it('is 1024 bytes, header first, padded with #, every variable in the first sector', () => {
    const b = encodeGrubenv({ ros_default: 'a', ros_trial: '', ros_trial_booted: '0' });
    assert.equal(b.length, 1024);
    assert.ok(b.toString('latin1').startsWith('# GRUB Environment Block\nros_default=a\nros_trial=\nros_trial_booted=0\n#'));
    assert.ok(b.subarray(512).every((c) => c === 0x23));
  });

  it('reads a block grub-editenv wrote, with variables of others kept', () => {
    const text = '# GRUB Environment Block\nsaved_entry=x\nros_default=b\n'.padEnd(1024, '#');
    assert.deepEqual(parseGrubenv(Buffer.from(text, 'latin1')), { saved_entry: 'x', ros_default: 'b' });
  });

  it('refuses what does not fit one sector or needs escaping', () => {
    assert.throws(() => encodeGrubenv({ big: 'x'.repeat(600) }), /within 512/);
    assert.throws(() => encodeGrubenv({ v: 'a\nb' }), /needs escaping/);
    assert.match((parseGrubenv(Buffer.alloc(10)) as { error: string }).error, /10 bytes/);
    assert.match((parseGrubenv(Buffer.alloc(1024, 0x23)) as { error: string }).error, /no header/);
  });
});

describe('upgrade: the running slot', () => {
  it('is ros.slot= before --, or none', async () => {
    const { slotFromCmdline } = await import('../../../src/upgrade/slots');
    assert.equal(slotFromCmdline('console=ttyS0 ros.slot=b panic=10'), 'b');
    assert.equal(slotFromCmdline('ros.slot=a'), 'a');
    assert.equal(slotFromCmdline('console=ttyS0 -- ros.slot=a'), null);
    assert.equal(slotFromCmdline('ros.slot=c'), null);
    assert.equal(slotFromCmdline('xros.slot=a'), null);
  });
});

describe('upgrade: a trial boot on the command line', () => {
  it('is ros.slot= with ros.trial=1, with its deadline', async () => {
    const { trialFromCmdline } = await import('../../../src/upgrade/slots');
    assert.deepEqual(trialFromCmdline('ros.slot=b ros.trial=1 softlockup_panic=1 panic=10', 600), { slot: 'b', timeoutS: 600 });
    assert.deepEqual(trialFromCmdline('ros.slot=a ros.trial=1 ros.trial_timeout=90', 600), { slot: 'a', timeoutS: 90 });
    assert.equal(trialFromCmdline('ros.slot=a  panic=10', 600), null);
    assert.equal(trialFromCmdline('ros.trial=1', 600), null);
    assert.equal(trialFromCmdline('ros.slot=a -- ros.trial=1', 600), null);
  });
});
