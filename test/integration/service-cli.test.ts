// `ros service` from the command line against a real dockerd: enable, the
// plan of `up --dry-run` (nothing done), up, disable (stopped and removed),
// disable --keep and the next `up` removing what is no longer enabled. The
// node's files are a --root tree with a one-service catalogue; the daemon is
// given by ROS_SYSTEM_DOCKER_SOCK, as on a node it is /var/run/system-docker.sock.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureImages } from '../../src/docker/images';
import { ROOT, startDockerd, type TestDaemon } from './dockerd';

const node = mkdtempSync(join(tmpdir(), 'ros-service-cli-'));
const catalogue = join(node, 'usr/share/ros/services');
mkdirSync(catalogue, { recursive: true });
writeFileSync(join(catalogue, 'tick.yml'), 'tick:\n  image: busybox:latest\n  command: sleep 600\n  net: none\n  restart: always\n  labels:\n    io.rancher.os.scope: system\n');
writeFileSync(join(catalogue, 'index.json'), JSON.stringify({ services: [{ name: 'tick', file: 'tick.yml', description: 'ticks', scope: 'system' }] }));

describe('ros service against a real dockerd', () => {
  let d: TestDaemon;
  const ros = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), '--root', node, 'service', ...args], {
      env: { ...process.env, ROS_SYSTEM_DOCKER_SOCK: d.socket, ROS_USER_DOCKER_SOCK: d.socket },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const state = async (name: string) => (await d.docker.listContainers({ all: true })).find((c) => c.Names.includes(`/${name}`))?.State ?? 'none';

  before(async () => {
    d = await startDockerd();
    await ensureImages(d.docker, join(ROOT, 'build/images/user'));
  });
  after(async () => {
    const all = await d.docker.listContainers({ all: true });
    await Promise.all(all.map((c) => d.docker.getContainer(c.Id).remove({ force: true })));
    await d.stop();
    rmSync(node, { recursive: true, force: true });
  });

  it('enable records it; up --dry-run shows the plan and does nothing', async () => {
    assert.equal(ros('enable', 'tick').code, 0);
    const r = ros('up', '--dry-run');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^SCOPE\s+SERVICE\s+ACTION\s+REASON\n/);
    assert.match(r.out, /system\s+tick\s+create\s+no container/);
    assert.equal(await state('tick'), 'none', 'a dry run created the container');
  });

  it('up creates and starts it; the next plan leaves it', async () => {
    const r = ros('up');
    assert.equal(r.code, 0, r.err);
    assert.equal(await state('tick'), 'running');
    const plan = JSON.parse(ros('up', '--dry-run', '--json').out) as { name: string; action: string; reason: string }[];
    assert.deepEqual(plan.find((a) => a.name === 'tick'), { scope: 'system', name: 'tick', action: 'leave', reason: 'running, definition unchanged' });
  });

  it('disable stops and removes its container', async () => {
    const r = ros('disable', 'tick');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'tick: disabled; stopped and removed tick\n');
    assert.equal(await state('tick'), 'none');
    assert.match(readFileSync(join(node, 'var/lib/rancher/conf/cloud-config.yml'), 'utf8'), /tick: false/);
    assert.match(ros('list').out, /tick\s+disabled/);
  });

  it('disable --keep leaves the container; the next whole up removes it, saying why', async () => {
    assert.equal(ros('enable', 'tick', '--now').code, 0);
    assert.equal(await state('tick'), 'running');
    assert.equal(ros('disable', 'tick', '--keep').code, 0);
    assert.equal(await state('tick'), 'running');
    assert.match(ros('up', '--dry-run').out, /system\s+tick\s+remove\s+not enabled any more, and running/);
    const up = ros('up');
    assert.equal(up.code, 0, up.err);
    assert.match(up.err, /service\[tick\]: removed \(not enabled any more/);
    assert.equal(await state('tick'), 'none');
  });

  it('leaves containers ros did not make alone', async () => {
    const mine = await d.docker.createContainer({ name: 'mine', Image: 'busybox:latest', Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } });
    await mine.start();
    assert.doesNotMatch(ros('up', '--dry-run').out, /mine/);
    assert.equal(ros('up').code, 0);
    assert.equal(await state('mine'), 'running');
  });

  it('delete exits 1 when the daemon cannot be reached, forgetting nothing', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), '--root', node, 'service', 'delete', 'tick'], {
      env: { ...process.env, ROS_SYSTEM_DOCKER_SOCK: join(node, 'no-such.sock'), ROS_USER_DOCKER_SOCK: join(node, 'no-such.sock') },
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /cannot reach the Docker daemon/);
    assert.doesNotMatch(r.stdout, /deleted/);
    assert.match(readFileSync(join(node, 'var/lib/rancher/conf/cloud-config.yml'), 'utf8'), /tick: false/);
    const ok = ros('delete', 'tick');
    assert.equal(ok.code, 0, ok.err);
    assert.doesNotMatch(readFileSync(join(node, 'var/lib/rancher/conf/cloud-config.yml'), 'utf8'), /tick/);
  });
});
