import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presentInterfaces } from '../../../src/sys/net-links';

describe('presentInterfaces', () => {
  it('reads name and MAC, and calls a device without a `device` link virtual', () => {
    const root = mkdtempSync(join(tmpdir(), 'net-links-'));
    try {
      for (const [name, mac, nic] of [['eth0', '52:54:00:00:00:01', true], ['bond0', '52:54:00:00:00:01', false], ['lo', null, false]] as const) {
        mkdirSync(join(root, name, nic ? 'device' : ''), { recursive: true });
        if (mac) writeFileSync(join(root, name, 'address'), `${mac}\n`);
      }
      assert.deepEqual(
        presentInterfaces(root).sort((a, b) => a.name.localeCompare(b.name)),
        [
          { name: 'bond0', mac: '52:54:00:00:00:01', virtual: true },
          { name: 'eth0', mac: '52:54:00:00:00:01', virtual: false },
          { name: 'lo', virtual: true },
        ],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
