// The image's system image store merged into a data root a real dockerd has
// used, as after an upgrade on a state disk: the daemon started again finds
// the new os-base under its tag, runs a container of it, and still has what
// it had (src/init/store-merge.ts).
import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureImages } from '../../src/docker/images';
import { mergeSystemStore } from '../../src/init/store-merge';
import { ROOT, startDockerd, type TestDaemon } from './dockerd';

const STORE = join(ROOT, 'build/trees/host/usr/share/ros/system-docker');
const OVERLAY = ['--storage-driver=overlay2'];

describe('the system image store merged into a used data root', () => {
  let d: TestDaemon;
  let used = '';
  let merged: string[] = [];
  // The store's one reference: ros/os-base at this version.
  const refs = (JSON.parse(readFileSync(join(STORE, 'image/overlay2/repositories.json'), 'utf8')) as { Repositories: Record<string, Record<string, string>> }).Repositories;
  const [tag, id] = Object.entries(refs['ros/os-base'] ?? {})[0] ?? ['', ''];

  before(async () => {
    // The last version's system-docker: another image, under an older os-base tag, and a container.
    const old = await startDockerd({ args: OVERLAY });
    await ensureImages(old.docker, join(ROOT, 'build/images/user'));
    await old.docker.getImage('busybox:latest').tag({ repo: 'ros/os-base', tag: 'previous' });
    await old.docker.createContainer({ name: 'console', Image: 'ros/os-base:previous', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    await old.stop({ keep: true });
    used = old.dir;
    merged = await mergeSystemStore(join(used, 'data'), { store: STORE });
    d = await startDockerd({ args: OVERLAY, prepare: (dir) => renameSync(join(used, 'data'), join(dir, 'data')) });
  });
  after(async () => {
    await d?.stop();
    rmSync(used, { recursive: true, force: true });
  });

  it('tags the store\'s image, which runs', async () => {
    assert.deepEqual(merged, [tag]);
    assert.equal((await d.docker.getImage(tag).inspect()).Id, id);
    const c = await d.docker.createContainer({ Image: tag, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
    await c.start();
    assert.equal((await c.wait()).StatusCode, 0);
    await c.remove();
  });

  it('keeps the images and containers the daemon had', async () => {
    assert.ok((await d.docker.getImage('ros/os-base:previous').inspect()).Id);
    assert.equal((await d.docker.getContainer('console').inspect()).Config.Image, 'ros/os-base:previous');
  });
});
