// Host identity: hostname (per boot) and the files containers expect.
import { writeFileSync, existsSync } from 'node:fs';
import { VISIBLE_CMDLINE } from '../../config/paths';
import { coverProcCmdline } from '../../sys/mount';
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

/** Words after `--` are for init only: /proc/cmdline shows the rest (the console covers its own /proc the same way). */
export const hideInitArgs: Task = {
  name: 'hide-init-args',
  when: (ctx) => ctx.cmdline.init.length > 0,
  run(ctx) {
    writeFileSync(VISIBLE_CMDLINE, `${ctx.cmdline.kernel.join(' ')}\n`, { mode: 0o444 });
    coverProcCmdline(VISIBLE_CMDLINE);
  },
};
