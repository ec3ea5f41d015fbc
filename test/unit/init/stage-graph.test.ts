import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT } from '../../../src/init/boot';
import { BOOT_MODULES, DRIVER_MODULES, LOADED_AT_BOOT, NETFILTER_MODULES, PRESENT_HARDWARE_MODULES, SHIPPED_DRIVERS } from '../../../src/init/stages/kernel';
import { SHUTDOWN } from '../../../src/init/shutdown';
import { checkStages, readyStages, type GraphNode } from '../../../src/init/stage-graph';

const node = (name: string, ...needs: string[]): GraphNode => ({ name, needs });
const names = (ns: GraphNode[]) => ns.map((n) => n.name);

describe('the boot and shutdown lists', () => {
  it('are good graphs: every need a stage listed before, no name twice, no cycle', () => {
    assert.deepEqual(checkStages(BOOT), []);
    assert.deepEqual(checkStages(SHUTDOWN), []);
  });

  it('keep the milestones on the stages users and tests know, in that order of dependency', () => {
    const at = (m: string) => BOOT.findIndex((s) => s.milestone === m);
    assert.deepEqual(['init-start', 'system-docker-ready', 'services-started', 'user-docker-ready'].map((m) => BOOT[at(m)]?.name), ['early', 'system-docker', 'services', 'user-docker']);
  });

  it('has the user images loaded after user-docker-ready, not before it', () => {
    const images = BOOT.find((s) => s.name === 'user-images');
    assert.deepEqual(images?.needs, ['user-docker']);
    assert.ok(!BOOT.find((s) => s.name === 'user-docker')?.tasks.some((t) => t.name === 'preload-user-images'));
  });
});

describe('the boot modules', () => {
  /** Every stage `name` waits for, directly or through others. */
  const before = (name: string, seen = new Set<string>()): Set<string> => {
    for (const n of BOOT.find((s) => s.name === name)?.needs ?? []) if (!seen.has(n)) before(n, seen.add(n));
    return seen;
  };
  const loadedBy = (task: string) => BOOT.find((s) => s.tasks.some((t) => t.name === task))?.name ?? '';

  it('load the state disk\'s drivers before storage, each list once', () => {
    assert.ok(before('storage').has(loadedBy('load-modules')));
    assert.equal(new Set(LOADED_AT_BOOT).size, LOADED_AT_BOOT.length);
    assert.equal(LOADED_AT_BOOT.length, BOOT_MODULES.length + DRIVER_MODULES.length + NETFILTER_MODULES.length);
    for (const m of ['virtio_blk', 'virtio_scsi', 'ata_piix', 'sd_mod', 'ext4']) assert.ok(BOOT_MODULES.includes(m), m);
  });

  it('load the drivers of the disks and NICs present before storage, and ship them', () => {
    assert.ok(before('storage').has(loadedBy('load-present-hardware')));
    for (const m of ['nvme', 'ahci', 'hv_storvsc', 'xen_blkfront', 'ena']) assert.ok(PRESENT_HARDWARE_MODULES.includes(m), m);
    for (const m of PRESENT_HARDWARE_MODULES) assert.ok(SHIPPED_DRIVERS.includes(m) && !LOADED_AT_BOOT.includes(m), m);
  });

  it('load what the network, a datasource and the user dockerd need before the stages that use it', () => {
    for (const m of ['virtio_net', 'e1000', 'sr_mod', 'isofs', 'vfat']) assert.ok(DRIVER_MODULES.includes(m), m);
    assert.ok(before('network').has(loadedBy('load-driver-modules')));
    assert.ok(before('datasource').has(loadedBy('load-driver-modules')));
    assert.ok(before('services').has(loadedBy('load-netfilter-modules')));
    // ...and not before the state disk or the system dockerd (--iptables=false): those do not wait for them.
    for (const s of ['storage', 'system-docker']) {
      assert.ok(!before(s).has(loadedBy('load-netfilter-modules')), s);
    }
    assert.ok(!before('storage').has(loadedBy('load-driver-modules')));
  });
});

describe('readyStages', () => {
  const graph = [node('early'), node('storage', 'early'), node('network', 'early'), node('docker', 'storage', 'network')];

  it('starts what needs nothing, then everything whose needs ended, at once', () => {
    assert.deepEqual(names(readyStages(graph, new Set(), new Set())), ['early']);
    assert.deepEqual(names(readyStages(graph, new Set(['early']), new Set(['early']))), ['storage', 'network']);
  });

  it('waits for every need, and never starts a stage twice', () => {
    assert.deepEqual(names(readyStages(graph, new Set(['early', 'storage', 'network']), new Set(['early', 'storage']))), []);
    assert.deepEqual(names(readyStages(graph, new Set(['early', 'storage', 'network']), new Set(['early', 'storage', 'network']))), ['docker']);
  });
});

describe('checkStages', () => {
  it('names a need that is no stage', () => {
    const p = checkStages([node('a'), node('b', 'a', 'nope')]);
    assert.deepEqual(p.map((x) => [x.code, x.stage]), [['unknown-need', 'b']]);
    assert.match(p[0]?.message ?? '', /b needs nope/);
  });

  it('names a stage listed twice', () => {
    assert.deepEqual(checkStages([node('a'), node('a')]).map((x) => x.code), ['duplicate']);
  });

  it('names a cycle once, with its path', () => {
    const p = checkStages([node('a', 'c'), node('b', 'a'), node('c', 'b'), node('d')]);
    assert.deepEqual(p.map((x) => x.code), ['cycle']);
    assert.equal(p[0]?.message, 'stages wait for each other: a → c → b → a');
  });

  it('finds a stage that needs itself', () => {
    assert.deepEqual(checkStages([node('a', 'a')]).map((x) => x.code), ['cycle']);
  });

  it('asks for the list in order of dependency', () => {
    const p = checkStages([node('b', 'a'), node('a')]);
    assert.deepEqual(p.map((x) => [x.code, x.stage]), [['out-of-order', 'b']]);
  });
});
