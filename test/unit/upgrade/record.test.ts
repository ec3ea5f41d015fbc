import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { armed, describeRecord, failed, failureReason, parseRecord, rolledBack, succeeded, trialAt } from '../../../src/upgrade/record';
import { grubCfg } from '../../../src/upgrade/grub-cfg';

const t = new Date('2026-12-03T12:00:00Z');

describe('upgrade: record', () => {
  it('tells how far a failed trial got', () => {
    const r = trialAt(armed('1.0.0', '2.0.0', 'b', t), 'services', t);
    assert.match(failureReason(r), /last stage reached: services/);
    assert.match(failureReason(armed('1.0.0', '2.0.0', 'b', t)), /did not reach init/);
    assert.equal(failureReason(r, 'essential service x failed'), 'essential service x failed');
    assert.equal(failureReason({ ...r, reason: 'it gave up: no boot-complete within 600 s' }), 'it gave up: no boot-complete within 600 s (last stage reached: services)');
    const f = failed(r, failureReason(r), t);
    assert.match(describeRecord(f), /^upgrade v1\.0\.0 -> v2\.0\.0 \(slot b\) FAILED and was rolled back at .*services/);
  });

  it('round-trips and reads junk as no record', () => {
    const s = succeeded(trialAt(armed('1.0.0', '2.0.0', 'b', t), 'x', t), t);
    assert.deepEqual(parseRecord(JSON.stringify(s)), JSON.parse(JSON.stringify(s)));
    assert.equal(parseRecord('{"torn'), null);
    assert.equal(parseRecord('{}'), null);
    assert.match(describeRecord(rolledBack('2.0.0', '1.0.0', 'a', t)), /^rolled back from v2\.0\.0 to v1\.0\.0 \(slot a\)/);
  });
});

describe('upgrade: grub.cfg', () => {
  const cfg = grubCfg('console=ttyS0 rancher.state.dev=LABEL=RANCHER_STATE');

  it('consumes the trial before booting it, and only if that was saved', () => {
    const lines = cfg.split('\n').map((l) => l.trim());
    const save = lines.indexOf('if save_env --file /boot/grub/grubenv ros_trial_booted; then');
    assert.ok(save > 0);
    assert.equal(lines[save + 1], 'set default="ros-${ros_trial}"');
    assert.match(cfg, /set fallback="ros-\$\{ros_default\}"/);
  });

  it('boots each slot with its name, the trial words only on a trial, and panic=10', () => {
    assert.match(cfg, /linux \/boot\/slots\/a\/vmlinuz ros\.slot=a \$\{ros_trial_words\} console=ttyS0 rancher\.state\.dev=LABEL=RANCHER_STATE panic=10/);
    assert.match(cfg, /initrd \/boot\/slots\/b\/initrd\.img/);
    assert.match(cfg, /set ros_trial_words="ros\.trial=1 softlockup_panic=1 hung_task_panic=1"/);
    assert.match(cfg, /^export ros_trial_words$/m);
  });

  it('refuses a command line that would break the script', () => {
    assert.throws(() => grubCfg('a"b'), /one line/);
  });
});
