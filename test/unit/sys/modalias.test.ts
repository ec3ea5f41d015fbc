import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fnmatch, modulesFor, parseAliases, presentModaliases } from '../../../src/sys/modalias';

// Lines as Debian 13's kernel writes them in modules.alias.
const ALIASES = `
alias pci:v*d*sv*sd*bc01sc08i02* nvme
alias pci:v00001D0Fd0000EC20sv*sd*bc*sc*i* ena
alias pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e
alias acpi*:VMBUS:* hv_vmbus
alias vmbus:d96361baa104294db60572e2ffb1dc7f hv_storvsc
alias xen:vbd xen_blkfront
alias xenblk xen_blkfront
alias pci:v00001AF4d00001000sv*sd*bc*sc*i* virtio_net
`;
const WANTED = new Set(['nvme', 'ena', 'e1000e', 'hv_vmbus', 'hv_storvsc', 'xen_blkfront']);

describe('fnmatch', () => {
  it('matches as fnmatch(3) does: * ? and bracket sets with ranges, the rest literal', () => {
    assert.ok(fnmatch('pci:v*d*bc01sc08i02*', 'pci:v0000144Dd0000A808sv0000144Dsd0000A801bc01sc08i02'));
    assert.ok(!fnmatch('pci:v*d*bc01sc08i02*', 'pci:v00008086d00002922sv00001AF4sd00001100bc01sc06i01'));
    assert.ok(fnmatch('usb:v0B95p772[AB]d*', 'usb:v0B95p772Bd0001'));
    assert.ok(!fnmatch('usb:v0B95p772[!AB]d*', 'usb:v0B95p772Bd0001'));
    assert.ok(fnmatch('dmi:*bvn[0-9]x', 'dmi:abvn7x'));
    assert.ok(!fnmatch('dmi:*bvn[0-9]x', 'dmi:abvnax'));
    assert.ok(fnmatch('a?c.d(e)', 'abc.d(e)'));
    assert.ok(!fnmatch('a.c', 'abc'));
    assert.ok(fnmatch('*', ''));
    assert.ok(fnmatch('a*b*c', 'aXbYbZc'));
    assert.ok(!fnmatch('a*b*c', 'aXbYbZ'));
    assert.ok(!fnmatch('abc', 'abcd'));
    assert.ok(fnmatch('a[', 'a['));
  });
});

describe('modulesFor', () => {
  const rules = parseAliases(ALIASES, WANTED);

  it('keeps only the rules of wanted modules', () => {
    assert.deepEqual([...new Set(rules.map((r) => r.module))].sort(), [...WANTED].sort());
  });

  it('finds the drivers of an EC2 Nitro instance: an NVMe disk by class, ENA by vendor and device', () => {
    const devices = [
      'pci:v00008086d00001237sv00000000sd00000000bc06sc00i00',
      'pci:v00001D0Fd00008061sv00001D0Fsd00008061bc01sc08i02',
      'pci:v00001D0Fd0000EC20sv00001D0Fsd0000EC20bc02sc00i00',
      'pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00',
    ];
    assert.deepEqual(modulesFor(devices, rules), ['nvme', 'ena']);
  });

  it('finds Hyper-V\'s bus through a glob in the bus part, and its disks once the bus has brought them', () => {
    assert.deepEqual(modulesFor(['acpi:VMBUS:', 'acpi:PNP0A03:'], rules), ['hv_vmbus']);
    assert.deepEqual(modulesFor(['acpi:VMBUS:', 'vmbus:d96361baa104294db60572e2ffb1dc7f'], rules), ['hv_vmbus', 'hv_storvsc']);
  });

  it('names each module once, and nothing for hardware it has no rule for', () => {
    assert.deepEqual(modulesFor(['xen:vbd', 'xen:vbd', 'xen:vif'], rules), ['xen_blkfront']);
    assert.deepEqual(modulesFor([], rules), []);
  });
});

describe('presentModaliases', () => {
  it('reads each device\'s modalias on the buses asked for, and skips buses the machine lacks', () => {
    const sys = mkdtempSync(join(tmpdir(), 'ros-sys-'));
    try {
      const dev = (bus: string, name: string, alias?: string) => {
        mkdirSync(join(sys, 'bus', bus, 'devices', name), { recursive: true });
        if (alias !== undefined) writeFileSync(join(sys, 'bus', bus, 'devices', name, 'modalias'), `${alias}\n`);
      };
      dev('pci', '0000:00:04.0', 'pci:v00001D0Fd0000EC20sv00001D0Fsd0000EC20bc02sc00i00');
      dev('pci', '0000:00:00.0');
      dev('virtio', 'virtio0', 'virtio:d00000001v00001AF4');
      dev('platform', 'serial8250', 'platform:serial8250');
      assert.deepEqual(presentModaliases(['pci', 'virtio', 'vmbus'], sys), [
        'pci:v00001D0Fd0000EC20sv00001D0Fsd0000EC20bc02sc00i00',
        'virtio:d00000001v00001AF4',
      ]);
    } finally {
      rmSync(sys, { recursive: true, force: true });
    }
  });
});
