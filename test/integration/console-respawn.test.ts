// The console's respawner (initramfs/files/usr/libexec/ros/console-respawn)
// run by the busybox of the image, as in the console: restarts with the
// backoff it documents, words passed through untouched, SIGTERM ends it all.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { respawnArgv, RESPAWN } from '../../src/console/respawn';

const SCRIPT = join(__dirname, '../../initramfs/files', RESPAWN);
const BUSYBOX = join(__dirname, '../../build/pkgs/busybox-static/usr/bin/busybox');
const dir = mkdtempSync(join(tmpdir(), 'console-respawn-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script with busybox sh (the console's), /bin/sh when the image was not built. */
function start(argv: string[]) {
  const [sh, pre] = existsSync(BUSYBOX) ? [BUSYBOX, ['sh']] : ['/bin/sh', []];
  const child = spawn(sh, [...pre, SCRIPT, ...argv.slice(1)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => err };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runs = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

describe('console-respawn', () => {
  it('starts a program that exits at once again after 2 s, then 5 s, saying so', async () => {
    const file = join(dir, 'quick');
    const r = start(respawnArgv([{ what: 'quitter', cmd: 'sh', args: ['-c', `echo run >> ${file}; exit 3`], stdio: 'inherit' }], []));
    try {
      await sleep(1000);
      assert.equal(runs(file).length, 1);
      await sleep(2500);
      assert.equal(runs(file).length, 2);
      assert.match(r.stderr(), /console: quitter exited \(status 3\); starting it again in 2 s/);
      assert.match(r.stderr(), /starting it again in 5 s/);
    } finally {
      r.child.kill('SIGTERM');
      await r.exited;
    }
  });

  it('passes every word through as given, spaces, quotes and $ included', async () => {
    const file = join(dir, 'words');
    const r = start(respawnArgv([{ what: 'words', cmd: 'sh', args: ['-c', `printf '%s|' "$@" > ${file}; exec sleep 60`, 'x', 'a b', "it's", '$HOME'], stdio: 'ignore' }], []));
    try {
      for (let i = 0; i < 50 && runs(file).length === 0; i++) await sleep(100);
      assert.equal(readFileSync(file, 'utf8'), "a b|it's|$HOME|");
    } finally {
      r.child.kill('SIGTERM');
      await r.exited;
    }
  });

  it('on SIGTERM stops restarting, ends the programs and exits 0', async () => {
    const pidFile = join(dir, 'pid');
    const r = start(respawnArgv([{ what: 'sleeper', cmd: 'sh', args: ['-c', `echo $$ > ${pidFile}; exec sleep 600`], stdio: 'ignore' }], []));
    for (let i = 0; i < 50 && runs(pidFile).length === 0; i++) await sleep(100);
    const pid = Number(runs(pidFile)[0]);
    assert.ok(pid > 0);
    r.child.kill('SIGTERM');
    assert.equal(await r.exited, 0);
    await sleep(200);
    assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the kept program is gone');
    assert.equal(runs(pidFile).length, 1, 'not started again');
  });
});
