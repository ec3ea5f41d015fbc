// write_files with `container: NAME`: a file written into a service's
// container, as RancherOS did (its console's /etc/rc.local, a service's
// config). Through the Engine API's archive endpoint, so the container may be
// running or not, and no tool has to exist inside it; its own /etc/passwd and
// /etc/group name the owner. docs/architecture.md, "Services".
import type Docker from 'dockerode';
import { posix } from 'node:path';
import { extract, pack } from 'tar-stream';
import { lookupId } from '../config/write-files';

/** The text of one file of a container, or '' when it has none. */
async function readFromContainer(container: Docker.Container, path: string): Promise<string> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch {
    return '';
  }
  return new Promise((resolve, reject) => {
    const x = extract();
    let text = '';
    x.on('entry', (_h, entry, next) => {
      entry.on('data', (d: Buffer) => (text += d.toString()));
      entry.on('end', next);
      entry.resume();
    });
    x.on('finish', () => resolve(text));
    x.on('error', reject);
    stream.pipe(x);
  });
}

/** Pure: a tar archive holding one file at `path` (relative to /), with its mode and owner. */
export function oneFileTar(path: string, data: Buffer, mode: number, uid: number, gid: number): NodeJS.ReadableStream {
  const p = pack();
  p.entry({ name: posix.normalize(path).replace(/^\/+/, ''), mode, uid, gid, mtime: new Date() }, data);
  p.finalize();
  return p;
}

/**
 * Writes `data` at `path` in the container; missing directories are made
 * (0755, as Docker unpacks them). Throws when an owner is not known inside.
 */
export async function writeIntoContainer(container: Docker.Container, path: string, data: Buffer, mode: number, owner: string, group: string): Promise<void> {
  const [passwd, groups] = [await readFromContainer(container, '/etc/passwd'), await readFromContainer(container, '/etc/group')];
  const uid = lookupId(owner, passwd);
  const gid = lookupId(group, groups);
  if (uid === null || gid === null) throw new Error(`unknown owner ${owner}:${group} in the container`);
  await container.putArchive(oneFileTar(path, data, mode, uid, gid), { path: '/' });
}
