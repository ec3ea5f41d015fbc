import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { BOOT_HOOKS, bootComplete, hookAction, runBootHooks } from '../../../src/console/hooks';

const dir = mkdtempSync(join(tmpdir(), 'ros-hooks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('boot hooks', () => {
  it('are RancherOS\' three, in its order', () => {
    assert.deepEqual(BOOT_HOOKS, ['/var/lib/rancher/conf/cloud-config-script', '/opt/rancher/bin/start.sh', '/etc/rc.local']);
  });

  it('skip what is missing and report what is not executable', () => {
    assert.equal(hookAction(false, false), 'skip');
    assert.equal(hookAction(true, false), 'not-executable');
    assert.equal(hookAction(true, true), 'run');
  });

  it('run one after the other; a failing one is reported and the next still runs', async () => {
    const trace = join(dir, 'trace');
    const hook = (name: string, body: string, mode = 0o755) => {
      const p = join(dir, name);
      writeFileSync(p, `#!/bin/sh\n${body}\n`);
      chmodSync(p, mode);
      return p;
    };
    const hooks = [
      hook('first', `sleep 0.2; echo first >> ${trace}`),
      hook('fails', `echo fails >> ${trace}; exit 3`),
      hook('plain', `echo plain >> ${trace}`, 0o644),
      join(dir, 'missing'),
      hook('last', `echo last >> ${trace}`),
    ];
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void lines.push((JSON.parse(l) as { msg: string }).msg) });
    let waited = false;
    await runBootHooks(log, hooks, () => Promise.resolve((waited = true)));
    assert.ok(waited, 'ran before boot-complete');
    assert.equal(readFileSync(trace, 'utf8'), 'first\nfails\nlast\n');
    assert.ok(lines.some((l) => /fails: exit code 3/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /plain is not executable: skipped \(chmod \+x/.test(l)), lines.join('\n'));
    assert.ok(!lines.some((l) => /missing/.test(l)));
  });
});

describe('bootComplete', () => {
  it('waits for init\'s boot-complete milestone, and gives up at its deadline', async () => {
    let calls = 0;
    assert.equal(await bootComplete(() => (++calls < 3 ? [{ name: 'services-started' }] : [{ name: 'boot-complete' }]), 5000, 1), true);
    assert.equal(calls, 3);
    assert.equal(await bootComplete(() => [], 20, 1), false);
  });
});
