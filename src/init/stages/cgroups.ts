// cgroup v2, the unified hierarchy: one cgroup2 mount at /sys/fs/cgroup with
// every controller the kernel offers delegated to the children of the root,
// so both dockerds (cgroupfs driver) can give each container its own limits.
// `nsdelegate` makes a container's cgroup namespace root a delegation
// boundary, as systemd mounts it: the user dockerd, nested in a system
// container, may manage the cgroups below its own and nothing above.
import { readFileSync, writeFileSync } from 'node:fs';
import { MS } from '../../sys/mount';
import type { Task } from '../stage';
import { mountOnce } from './pseudo-fs';

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** Pure: the words to write to cgroup.subtree_control to enable each available controller. */
export function delegation(controllersFile: string): string[] {
  return controllersFile.split(/\s+/).filter(Boolean).map((c) => `+${c}`);
}

export const mountCgroups: Task = {
  name: 'mount-cgroup2',
  run() {
    mountOnce({ source: 'cgroup2', target: CGROUP_ROOT, fstype: 'cgroup2', flags: MS.NOSUID | MS.NODEV | MS.NOEXEC, data: 'nsdelegate' });
    const failures: string[] = [];
    // One write per controller: a write naming several fails whole if one is refused.
    for (const word of delegation(readFileSync(`${CGROUP_ROOT}/cgroup.controllers`, 'utf8'))) {
      try {
        writeFileSync(`${CGROUP_ROOT}/cgroup.subtree_control`, word);
      } catch (err) {
        failures.push(`write ${word} to ${CGROUP_ROOT}/cgroup.subtree_control: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
  },
};
