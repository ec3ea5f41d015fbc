// Where state lives. Without a state disk everything is in RAM: tmpfs under
// the Docker data roots, because overlayfs needs a real filesystem (xattrs)
// beneath it, which the initramfs root is not guaranteed to be.
import { mkdirSync } from 'node:fs';
import { MS, mount } from '../../sys/mount';
import type { Task } from '../stage';
import { mountOnce } from './pseudo-fs';

export const RAM_STATE_DIRS = ['/var/lib/system-docker', '/var/lib/docker', '/var/lib/rancher', '/home', '/opt'];

export const ramState: Task = {
  name: 'ram-state',
  run(ctx) {
    for (const target of RAM_STATE_DIRS) {
      mountOnce({ source: 'tmpfs', target, fstype: 'tmpfs', flags: MS.NODEV, data: 'mode=0755' });
    }
    mkdirSync('/var/lib/rancher/conf/cloud-config.d', { recursive: true });
    ctx.state = 'ram';
    ctx.log.warn('no state disk: running from RAM, nothing will survive a reboot');
  },
};

export const makeRootShared: Task = {
  name: 'make-root-shared',
  run() {
    // Docker's bind propagation (rshared volumes) needs a shared root.
    mount({ source: null, target: '/', fstype: null, flags: MS.REC | MS.SHARED });
  },
};
