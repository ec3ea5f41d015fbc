// User story: a power cut never leaves a torn config. `ros config set` rewrites a key
// in a loop while QEMU is killed hard (no shutdown) ten times; after every boot the
// config still validates and holds one of the values written (old or new), never garbage.
// The boots stop in the recovery shell (rancher.recovery=true): it has ros and the
// state disk, and is three times faster to reach than a full boot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';

const BOOT_MS = 240_000;
const CMD_MS = 60_000;
const CUTS = 10;

describe('power cuts while ros config set rewrites a key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ros-cut-'));
  const disk = join(dir, 'state.img');
  writeFileSync(disk, '');
  truncateSync(disk, 1024 ** 3);
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps a valid config with the old or the new value through ${CUTS} hard kills`, { timeout: (CUTS + 1) * (BOOT_MS + 2 * CMD_MS) }, async () => {
    let last = 0;
    for (let cut = 0; cut <= CUTS; cut++) {
      vm = await Qemu.start({ name: `power-cut-${cut}`, disks: [disk], cmdline: 'rancher.state.autoformat=[/dev/vda] rancher.recovery=true' });
      await vm.waitFor('ros recovery shell', BOOT_MS);
      await vm.waitForShell();
      if (cut > 0) {
        const v = await vm.run('ros config validate && ros config get rancher.shutdown_timeout', CMD_MS);
        assert.equal(v.code, 0, `after cut ${cut}: the config does not validate:\n${v.output}`);
        const value = Number(withoutKernelLines(v.output).trim().split('\n').pop());
        assert.ok(Number.isInteger(value) && value >= 1, `after cut ${cut}: rancher.shutdown_timeout is not a written value:\n${v.output}`);
        assert.ok(value >= last, `after cut ${cut}: value ${value} is older than ${last}, which was already on disk`);
        last = value;
      }
      if (cut === CUTS) break;
      // Each round starts where the file left off, so a value lower than what was seen would be a lost write.
      vm.sendLine(`i=${last + 1}; while true; do ros config set rancher.shutdown_timeout "$i" || echo SET-FAILED; i=$((i+1)); done`);
      await vm.waitFor(/\n/, 5000);
      await new Promise((r) => setTimeout(r, 4000 + Math.floor(Math.random() * 4000)));
      await vm.kill();
      vm = undefined;
    }
    assert.ok(last > 0, 'no write ever reached the disk');
  });
});
