// The CLI on a machine that is not a ros node (this build machine): every
// command that changes a node refuses, exit 1, and changes nothing. Each run
// happens in fresh PID and mount namespaces (unshare, as root), so "PID 1" is
// a shell of the test that records every signal it gets, and /var/lib is an
// empty tmpfs the test can look into afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'ros-off-node-'));
after(() => rmSync(work, { recursive: true, force: true }));

const ros = `${process.execPath} --import tsx ${join(root, 'src/main.ts')}`;

/**
 * Runs `command` as a child of a recording PID 1 in new PID and mount
 * namespaces, with an empty /var/lib. Returns its exit code and output, the
 * signals PID 1 received, and what /var/lib holds afterwards.
 */
function offNode(command: string): { code: number; out: string; signals: string[]; varLib: string[] } {
  const signals = join(work, `signals-${Math.random().toString(36).slice(2)}`);
  const script = [
    ...['TERM', 'USR1', 'USR2', 'INT', 'PWR'].map((s) => `trap 'echo ${s} >> ${signals}' ${s}`),
    'mount -t tmpfs tmpfs /var/lib',
    `: > ${signals}`,
    `(cd ${root} && ${command}) > ${signals}.out 2>&1; echo "rc=$?" >> ${signals}.out`,
    'sleep 0.3', // a signal sent just before the child exited is handled by now
    `ls -A /var/lib > ${signals}.varlib`,
  ].join('\n');
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount', '--propagation', 'private', '--mount-proc', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, ROS_CONF_DIR: '', ROS_OS_CONFIG: '' } });
  assert.equal(r.status, 0, `unshare: ${r.stderr}`);
  const out = readFileSync(`${signals}.out`, 'utf8');
  const code = Number(/rc=(\d+)\n$/.exec(out)?.[1] ?? -1);
  const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);
  return { code, out: out.replace(/rc=\d+\n$/, ''), signals: lines(signals), varLib: lines(`${signals}.varlib`) };
}

describe('the CLI off a ros node', () => {
  it('the harness sees a signal sent to PID 1 and a file written under /var/lib', () => {
    const r = offNode('kill -TERM 1; mkdir -p /var/lib/rancher');
    assert.deepEqual(r.signals, ['TERM']);
    assert.deepEqual(r.varLib, ['rancher']);
  });

  for (const [command, signal] of [['reboot', 'TERM'], ['poweroff', 'USR2'], ['halt', 'USR1']] as const) {
    it(`ros os ${command} says this is not a ros node, exits 1 and signals nothing (not even ${signal})`, () => {
      const r = offNode(`${ros} os ${command}`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, new RegExp(`ros os ${command}: this is not a ros node \\(PID 1 is .* and there is no /var/run/system-docker\\.sock\\): nothing was changed`));
      assert.deepEqual(r.signals, []);
    });
  }

  it('ros service disable ntp refuses, exit 1, and writes nothing under /var/lib/rancher', () => {
    const r = offNode(`${ros} service disable ntp`);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /ros service disable: this is not a ros node .*; to change a node's files from here, name them with --root DIR/);
    assert.deepEqual(r.varLib, []);
  });

  it('refuses every other command that changes the node, changing nothing', () => {
    for (const command of ['service enable ntp', 'service delete ntp', 'service up', 'service stop console', 'config set hostname x', 'config merge -i /dev/null', 'install -d /dev/null -f']) {
      const r = offNode(`${ros} ${command}`);
      assert.equal(r.code, 1, `${command}: ${r.out}`);
      assert.match(r.out, /this is not a ros node/, command);
      assert.deepEqual(r.varLib, [], command);
      assert.deepEqual(r.signals, [], command);
    }
  });

  it('still answers read-only commands', () => {
    const r = offNode(`${ros} os version`);
    assert.equal(r.code, 0, r.out);
  });

  it('with --root DIR, records the change in DIR and says no container was touched', () => {
    const dir = join(work, 'node');
    const r = offNode(`${ros} --root ${dir} service disable ntp`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ntp: disabled in .*\/var\/lib\/rancher\/conf\/cloud-config\.yml; no node runs here, so no container was touched/);
    assert.match(readFileSync(join(dir, 'var/lib/rancher/conf/cloud-config.yml'), 'utf8'), /services_include:\n\s+ntp: false/);
    assert.deepEqual(r.varLib, []);
  });
});
