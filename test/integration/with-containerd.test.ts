// with-containerd (initramfs/files/usr/libexec/ros/with-containerd) run by the
// image's busybox sh, with a stand-in containerd that serves the socket its
// config names and a stand-in dockerd that records its words: dockerd starts
// only once the socket is there, with --containerd pointing at it; a second
// dockerd keeps the running containerd; a containerd that dies is started again.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../initramfs/files/usr/libexec/ros/with-containerd');
const BUSYBOX = join(__dirname, '../../build/pkgs/busybox-static/usr/bin/busybox');
const dir = mkdtempSync(join(tmpdir(), 'with-containerd-'));
after(() => {
  spawn('pkill', ['-f', dir]); // a keeper a failed test left
  rmSync(dir, { recursive: true, force: true });
});

const bin = join(dir, 'bin');
mkdirSync(bin);
// containerd: appends its words to starts.log, waits 300 ms (a slow start), then serves the grpc address of its config.
writeFileSync(join(bin, 'containerd'), `#!/bin/sh
echo "$*" >> "${dir}/starts.log"
exec "${process.execPath}" -e '
  const cfg = require("fs").readFileSync(process.argv[1], "utf8");
  const sock = /address = "([^"]+)"/.exec(cfg)[1];
  setTimeout(() => require("net").createServer().listen(sock), 300);
  process.on("SIGTERM", () => process.exit(0));
' "$2"
`);
// dockerd: writes whether the socket existed when it started, and its words.
writeFileSync(join(bin, 'dockerd'), `#!/bin/sh
out="${dir}/dockerd.log"
: > "$out"
for a in "$@"; do case $a in --containerd=*) [ -S "\${a#*=}" ] && echo serving >> "$out";; esac; done
printf '%s\\n' "$@" >> "$out"
`);
for (const f of ['containerd', 'dockerd']) chmodSync(join(bin, f), 0o755);

// Run through its #! line as in the image, so its process is named with-containerd (how a
// keeper is told from another process with a reused pid), by busybox sh when the image was built.
const script = join(bin, 'with-containerd');
writeFileSync(script, readFileSync(SCRIPT, 'utf8').replace(/^#!.*\n/, `#!${existsSync(BUSYBOX) ? `${BUSYBOX} sh` : '/bin/sh'}\n`));
chmodSync(script, 0o755);

/** Runs the script; resolves with what dockerd was given. */
function run(args: string[]): Promise<{ code: number | null; dockerd: string[]; err: string }> {
  const log = join(dir, 'dockerd.log');
  rmSync(log, { force: true });
  // The keeper outlives the script and holds stderr: 'exit', not 'close', ends a run.
  const child = spawn(script, args, { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, dockerd: existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [], err })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const starts = () => (existsSync(join(dir, 'starts.log')) ? readFileSync(join(dir, 'starts.log'), 'utf8').split('\n').filter(Boolean) : []);
const keeper = (execRoot: string) => Number(readFileSync(join(execRoot, 'containerd/keeper.pid'), 'utf8'));

describe('with-containerd', () => {
  const execRoot = join(dir, 'run');
  const dataRoot = join(dir, 'lib');

  it('starts dockerd once its containerd serves, and hands it the socket', async () => {
    const r = await run(['dockerd', `--data-root=${dataRoot}`, '--exec-root', execRoot, '--log-level=warn']);
    assert.equal(r.code, 0, r.err);
    const lines = r.dockerd;
    const sock = join(execRoot, 'containerd/containerd.sock');
    assert.deepEqual(lines, ['serving', `--data-root=${dataRoot}`, '--exec-root', execRoot, '--log-level=warn', `--containerd=${sock}`]);
    const toml = readFileSync(join(execRoot, 'containerd/containerd.toml'), 'utf8');
    assert.match(toml, new RegExp(`root = "${dataRoot}/containerd/daemon"`));
    assert.match(toml, new RegExp(`state = "${execRoot}/containerd/daemon"`));
    assert.match(toml, /disabled_plugins = \["io\.containerd\.grpc\.v1\.cri"\]/);
    assert.deepEqual(starts(), [`--config ${execRoot}/containerd/containerd.toml --log-level warn`]);
  });

  it('keeps the containerd a dockerd before it started', async () => {
    const r = await run(['dockerd', `--data-root=${dataRoot}`, `--exec-root=${execRoot}`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.dockerd[0], 'serving');
    assert.equal(starts().length, 1);
  });

  it('starts a containerd when the pid of the file is not a keeper any more (pids wrap)', async () => {
    const other = join(dir, 'other');
    const r = await run(['dockerd', `--data-root=${dataRoot}`, `--exec-root=${other}`]);
    assert.equal(r.code, 0, r.err);
    writeFileSync(join(other, 'containerd/keeper.pid'), `${process.pid}\n`); // alive, but not a with-containerd
    const again = await run(['dockerd', `--data-root=${dataRoot}`, `--exec-root=${other}`]);
    assert.equal(again.dockerd[0], 'serving');
    assert.equal(starts().filter((l) => l.includes(other)).length, 2);
  });

  it('starts containerd again when it dies, and stops it on SIGTERM to its keeper', async () => {
    const pid = keeper(execRoot);
    spawn('pkill', ['-TERM', '-f', `${execRoot}/containerd/containerd.toml`]);
    await sleep(2000);
    assert.equal(starts().filter((l) => l.includes(execRoot)).length, 2);
    process.kill(pid, 'SIGTERM');
    await sleep(500);
    // Gone, or a zombie its new parent has not reaped yet.
    const state = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] : 'gone';
    assert.match(state ?? '', /^(gone|Z)$/);
    const left = spawn('pgrep', ['-f', `${execRoot}/containerd/containerd.toml`]);
    const code = await new Promise((resolve) => left.once('exit', resolve));
    assert.equal(code, 1, 'no containerd left');
  });

  it('leaves a dockerd given a containerd of its own alone', async () => {
    const r = await run(['dockerd', '--exec-root', join(dir, 'own'), '--containerd=/run/other.sock']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.dockerd, ['--exec-root', join(dir, 'own'), '--containerd=/run/other.sock']);
    assert.equal(existsSync(join(dir, 'own/containerd')), false);
  });
});
