// The root image moved out of RAM on a real loop device (src/init/stages/root-image.ts):
// a squashfs mounted read-only through a loop, its file unlinked as switch_root
// leaves the initrd's, is copied into a directory standing for the state disk,
// and the mounted file system keeps reading, now from the copy.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { moveRootImage } from '../../src/init/stages/root-image';
import { loopDevices, type LoopDevice } from '../../src/sys/loop';

const canLoop = process.getuid?.() === 0 && existsSync('/dev/loop-control');

describe('the root image moved onto the state disk', { skip: canLoop ? false : 'needs root and loop devices' }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ros-root-image-'));
  const mnt = join(work, 'mnt');
  const disk = join(work, 'disk');
  const log = pino({ level: 'silent' });
  let name = '';
  let loop: LoopDevice;
  // The loop as init finds it: the initrd's path, unlinked.
  const asInitrd = (): LoopDevice[] => [{ ...loop, backingFile: `/${name}`, deleted: true }];
  const current = () => loopDevices().find((l) => l.device === loop.device);

  before(() => {
    mkdirSync(join(work, 'tree'));
    // Incompressible, several 1 MiB blocks: a copy cut short would show.
    writeFileSync(join(work, 'tree/data'), Buffer.from(Array.from({ length: 3 * 1024 ** 2 }, (_, i) => (i * 2654435761) >>> 24)));
    execFileSync('mksquashfs', [join(work, 'tree'), join(work, 'image'), '-b', '1M', '-noappend', '-quiet', '-no-progress']);
    const image = readFileSync(join(work, 'image'));
    name = `root-${createHash('sha256').update(image).digest('hex')}.sqsh`;
    const file = join(work, name);
    writeFileSync(file, image);
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'squashfs', '-o', 'ro,loop', file, mnt]);
    const found = loopDevices().find((l) => l.backingFile === file);
    assert.ok(found, `no loop device reads ${file}`);
    loop = found;
    rmSync(file);
  });

  after(() => {
    try { execFileSync('umount', [mnt]); } catch { /* never mounted */ }
    rmSync(work, { recursive: true, force: true });
  });

  it('copies the image, switches the loop to the copy, and the mount reads on', async () => {
    assert.equal(current()?.deleted, true);
    mkdirSync(disk);
    writeFileSync(join(disk, 'root-0000.sqsh'), 'an older release'); // removed once the move is done
    writeFileSync(join(disk, `.${name}.tmp`), 'a copy a power cut stopped');
    assert.equal(await moveRootImage(log, { dir: disk, loops: asInitrd() }), true);
    assert.deepEqual(readdirSync(disk), [name]);
    assert.deepEqual(readFileSync(join(disk, name)), readFileSync(loop.device));
    const now = current();
    assert.equal(now?.backingFile, join(disk, name));
    assert.equal(now?.deleted, false);
    execFileSync('sh', ['-c', 'echo 3 > /proc/sys/vm/drop_caches']);
    assert.deepEqual(readFileSync(join(mnt, 'data')), readFileSync(join(work, 'tree/data')));
  });

  it('finds nothing to move once the loop reads the disk', async () => {
    assert.equal(await moveRootImage(log, { dir: disk }), false);
  });

  it('replaces a copy of the wrong size instead of switching to it', async () => {
    // The loop is on the disk copy now; the check needs a file that is not the loop's.
    const other = join(work, 'other');
    mkdirSync(other);
    writeFileSync(join(other, name), 'short');
    assert.equal(await moveRootImage(log, { dir: other, loops: asInitrd() }), true);
    assert.deepEqual(readFileSync(join(other, name)), readFileSync(loop.device));
    assert.equal(current()?.backingFile, join(other, name));
  });
});
