// write_files with `container:` against a real dockerd: the file lands in the
// named container with its mode and an owner named by the container's own
// /etc/passwd, missing directories are made, and the container need not run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { extract } from 'tar-stream';
import { ensureImages } from '../../src/docker/images';
import { writeIntoContainer } from '../../src/services/container-files';
import { ROOT, startDockerd, type TestDaemon } from './dockerd';

async function readBack(d: TestDaemon, name: string, path: string): Promise<{ mode: number; uid: number; gid: number; text: string }> {
  const stream = await d.docker.getContainer(name).getArchive({ path });
  return new Promise((resolve, reject) => {
    const x = extract();
    x.on('entry', (h, entry, next) => {
      let text = '';
      entry.on('data', (b: Buffer) => (text += b.toString()));
      entry.on('end', () => {
        resolve({ mode: (h.mode ?? 0) & 0o7777, uid: h.uid ?? -1, gid: h.gid ?? -1, text });
        next();
      });
    });
    x.on('error', reject);
    stream.pipe(x);
  });
}

describe('write_files into a container', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startDockerd();
    await ensureImages(d.docker, join(ROOT, 'build/images/user'));
    await d.docker.createContainer({ name: 'console', Image: 'busybox:latest', Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
  });
  after(() => d.stop());

  it('writes the file with its mode and owner, making the directories, into a container that does not run', async () => {
    const c = d.docker.getContainer('console');
    await writeIntoContainer(c, '/etc/rc.d/rc.local', Buffer.from('#!/bin/sh\necho hi\n'), 0o750, 'nobody', 'nogroup');
    const back = await readBack(d, 'console', '/etc/rc.d/rc.local');
    assert.deepEqual(back, { mode: 0o750, uid: 65534, gid: 65534, text: '#!/bin/sh\necho hi\n' });
  });

  it('refuses an owner the container does not know, writing nothing', async () => {
    const c = d.docker.getContainer('console');
    await assert.rejects(writeIntoContainer(c, '/etc/x', Buffer.from('x'), 0o644, 'rancher', 'rancher'), /unknown owner rancher:rancher/);
    await assert.rejects(d.docker.getContainer('console').getArchive({ path: '/etc/x' }));
  });
});
