// Host identity: hostname (per boot) and the files containers expect.
import { writeFileSync, existsSync } from 'node:fs';
import { MS, mount } from '../../sys/mount';
import { setHostname } from '../../sys/system';
import type { Task } from '../stage';

export const DEFAULT_HOSTNAME = 'rancher';

export const hostname: Task = {
  name: 'hostname',
  run(ctx) {
    const name = ctx.config.hostname ?? DEFAULT_HOSTNAME;
    setHostname(name);
    writeFileSync('/etc/hostname', `${name}\n`);
    const hosts = `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
    writeFileSync('/etc/hosts', hosts);
    if (!existsSync('/etc/resolv.conf')) writeFileSync('/etc/resolv.conf', '');
  },
};

export const VISIBLE_CMDLINE = '/run/ros/cmdline';

/**
 * Words after `--` are for init only, but the kernel keeps them in
 * /proc/cmdline. Cover it with the visible part (console-init does the same
 * inside the console container, which has its own /proc).
 */
export const hideInitArgs: Task = {
  name: 'hide-init-args',
  when: (ctx) => ctx.cmdline.init.length > 0,
  run(ctx) {
    writeFileSync(VISIBLE_CMDLINE, `${ctx.cmdline.kernel.join(' ')}\n`, { mode: 0o444 });
    mount({ source: VISIBLE_CMDLINE, target: '/proc/cmdline', fstype: null, flags: MS.BIND });
  },
};
