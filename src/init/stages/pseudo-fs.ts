// The kernel filesystems every later step needs. A mount that is already
// there (devtmpfs auto-mount) is fine; anything else failing here is fatal.
import { mkdirSync, symlinkSync, existsSync, lstatSync } from 'node:fs';
import { MS, isMounted, mount, type MountSpec } from '../../sys/mount';
import type { Task } from '../stage';

const NOSUID_NODEV = MS.NOSUID | MS.NODEV;

export const PSEUDO_MOUNTS: MountSpec[] = [
  { source: 'proc', target: '/proc', fstype: 'proc', flags: NOSUID_NODEV | MS.NOEXEC },
  { source: 'sysfs', target: '/sys', fstype: 'sysfs', flags: NOSUID_NODEV | MS.NOEXEC },
  { source: 'devtmpfs', target: '/dev', fstype: 'devtmpfs', flags: MS.NOSUID, data: 'mode=0755' },
  { source: 'devpts', target: '/dev/pts', fstype: 'devpts', flags: MS.NOSUID | MS.NOEXEC, data: 'newinstance,ptmxmode=0666,mode=0620,gid=5' },
  { source: 'shm', target: '/dev/shm', fstype: 'tmpfs', flags: NOSUID_NODEV, data: 'mode=1777' },
  // /run must allow exec: the native addon is extracted there.
  { source: 'tmpfs', target: '/run', fstype: 'tmpfs', flags: NOSUID_NODEV, data: 'mode=0755' },
  { source: 'tmpfs', target: '/tmp', fstype: 'tmpfs', flags: NOSUID_NODEV, data: 'mode=1777' },
];

export function mountOnce(spec: MountSpec): void {
  if (existsSync('/proc/self/mounts') && isMounted(spec.target)) return;
  mount(spec);
}

export const mountPseudoFs: Task = {
  name: 'mount-pseudo-fs',
  run() {
    for (const spec of PSEUDO_MOUNTS) mountOnce(spec);
    // /var/run is the RancherOS path for sockets; it is /run.
    mkdirSync('/var', { recursive: true });
    try {
      lstatSync('/var/run');
    } catch {
      symlinkSync('/run', '/var/run');
    }
    for (const dir of ['/run/ros', '/var/log/ros', '/var/lib', '/etc']) mkdirSync(dir, { recursive: true });
  },
};
