// cgroup v1 hierarchies, one per controller (cpu and cpuacct share one, as
// do net_cls and net_prio, like every distribution does), plus a named
// `systemd` hierarchy that some software insists on.
import { readFileSync, symlinkSync, existsSync } from 'node:fs';
import { MS, mount } from '../../sys/mount';
import type { Task } from '../stage';
import { mountOnce } from './pseudo-fs';

/** Pure: enabled controllers from /proc/cgroups, grouped into mount option sets. */
export function cgroupHierarchies(procCgroups: string): string[][] {
  const enabled = procCgroups
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/))
    .filter((f) => f[3] === '1')
    .map((f) => f[0] ?? '')
    .filter(Boolean);
  const groups: string[][] = [];
  const taken = new Set<string>();
  for (const pair of [['cpu', 'cpuacct'], ['net_cls', 'net_prio']]) {
    const present = pair.filter((c) => enabled.includes(c));
    if (present.length > 0) {
      groups.push(present);
      present.forEach((c) => taken.add(c));
    }
  }
  for (const c of enabled) if (!taken.has(c)) groups.push([c]);
  return groups;
}

export const mountCgroups: Task = {
  name: 'mount-cgroups',
  run() {
    mountOnce({ source: 'cgroup', target: '/sys/fs/cgroup', fstype: 'tmpfs', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: 'mode=0755' });
    const failures: string[] = [];
    for (const group of cgroupHierarchies(readFileSync('/proc/cgroups', 'utf8'))) {
      const name = group.join(',');
      try {
        mount({ source: 'cgroup', target: `/sys/fs/cgroup/${name}`, fstype: 'cgroup', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: name });
        if (group.length > 1) {
          for (const c of group) if (!existsSync(`/sys/fs/cgroup/${c}`)) symlinkSync(name, `/sys/fs/cgroup/${c}`);
        }
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    try {
      mount({ source: 'cgroup', target: '/sys/fs/cgroup/systemd', fstype: 'cgroup', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: 'none,name=systemd' });
    } catch (err) {
      failures.push((err as Error).message);
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  },
};
