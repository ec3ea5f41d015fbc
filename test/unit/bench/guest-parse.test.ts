import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { baselineMarkers, jsonIn, kernelMarks, memoryUsedMiB, parseSmapsRollup, timelineDurations } from '../../../bench/guest-parse';
import { baselineEntries } from '../../../bench/baseline-image';
import { S_IFDIR, S_IFLNK, S_IFREG } from '../../../initramfs/lib/cpio';
import type { BootTimeline } from '../../../src/init/boot-timeline';

describe('guest /proc files', () => {
  it('reads PID 1 memory from smaps_rollup, private = clean + dirty, and dirty alone', () => {
    const text = '55d0c0000000-7ffc00000000 ---p 00000000 00:00 0                  [rollup]\nRss:               84992 kB\nPss:               80896 kB\nPss_Dirty:         46080 kB\nShared_Clean:       4096 kB\nPrivate_Clean:     34816 kB\nPrivate_Dirty:     46080 kB\n';
    assert.deepEqual(parseSmapsRollup(text), { rssMiB: 83, pssMiB: 79, privateMiB: 79, privateDirtyMiB: 45 });
    assert.throws(() => parseSmapsRollup('Rss: 1 kB\n'), /smaps_rollup: no Pss line/);
  });

  it('takes memory in use as MemTotal − MemAvailable', () => {
    assert.equal(memoryUsedMiB('MemTotal:        2017280 kB\nMemFree:          900000 kB\nMemAvailable:    1334272 kB\n'), 667);
  });
});

describe('timelineDurations', () => {
  it('gives each finished stage and task its duration, tasks as stage/task', () => {
    const span = (name: string, start: number, end: number | null) => ({ name, start, end, status: 'done' as const, needs: [] });
    const t: BootTimeline = {
      format: 1, version: '0', initStart: 9, updated: 40, outcome: 'complete', milestones: [],
      stages: [
        { ...span('kernel', 9, 10.5), onError: 'fatal', tasks: [span('modules', 9.1, 10.4)] },
        { ...span('user-docker', 27, 35.3), onError: 'warn', tasks: [span('start', 27, 30), span('preload', 30, null)] },
      ],
    };
    assert.deepEqual(timelineDurations(t), { stages: { kernel: 1.5, 'user-docker': 8.3 }, tasks: { 'kernel/modules': 1.3, 'user-docker/start': 3 } });
  });

  it('finds the JSON in console output', () => {
    assert.deepEqual(jsonIn('cat x\r\n{ "a": {"b": 1} }\n# '), { a: { b: 1 } });
    assert.throws(() => jsonIn('No such file'), /no JSON object/);
  });
});

describe('kernelMarks', () => {
  it('times the initramfs unpack and the start of /init from printk timestamps', () => {
    const log = '[    1.914644] Trying to unpack rootfs image as initramfs...\n[    2.0] other\n[   13.046143] Freeing initrd memory: 130624K\n[   17.029084] Run /init as init process\n';
    assert.deepEqual(kernelMarks(log), { milestones: { 'initramfs-unpacked': 13.046143, 'run-init': 17.029084 }, unpackS: 11.131 });
    assert.deepEqual(kernelMarks('[    0.1] Linux version\n'), { milestones: {}, unpackS: null });
  });
});

describe('the baseline', () => {
  it('reads the markers its init prints', () => {
    const console = '[    2.1] x\n[bench] init-start uptime=2.84\n[bench] docker-ready uptime=6.61\n[bench] memory-used kib=153600\n';
    assert.deepEqual(baselineMarkers(console), { milestones: { 'init-start': 2.84, 'docker-ready': 6.61 }, memoryUsedMiB: 150 });
    assert.deepEqual(baselineMarkers('no markers'), { milestones: {}, memoryUsedMiB: null });
  });

  it('puts its script as /init, drops what only ros reads and keeps the rest', () => {
    const script = Buffer.from('#!/bin/sh\n');
    const file = (name: string) => ({ name, mode: S_IFREG | 0o755, data: Buffer.from('x') });
    const entries = [
      { name: 'init', mode: S_IFLNK | 0o777, data: Buffer.from('/usr/bin/ros') },
      file('usr/bin/ros'), file('usr/bin/rosy'), file('usr/bin/dockerd'),
      { name: 'usr/share/ros', mode: S_IFDIR | 0o755 }, file('usr/share/ros/images/system/os-base.tar'), file('usr/share/udhcpc/default.script'),
    ];
    assert.deepEqual(baselineEntries(entries, script).map((e) => [e.name, e.data?.toString()]), [
      ['usr/bin/rosy', 'x'],
      ['usr/bin/dockerd', 'x'],
      ['usr/share/udhcpc/default.script', 'x'],
      ['init', '#!/bin/sh\n'],
    ]);
    assert.deepEqual(baselineEntries([], script).map((e) => e.name), ['init']);
  });
});
