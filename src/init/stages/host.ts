// Host identity: hostname (per boot) and the files containers expect.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { VISIBLE_CMDLINE } from '../../config/paths';
import { coverProcCmdline } from '../../sys/mount';
import { setHostname } from '../../sys/system';
import type { Task } from '../stage';

export const DEFAULT_HOSTNAME = 'rancher';
/** The host name the DHCP server gave (option 12), recorded by the udhcpc script. */
export const DHCP_HOSTNAME = '/run/ros/net/dhcp-hostname';

/** Pure: the configured name wins, then the DHCP server's (as RancherOS took it), then the default. */
export function chooseHostname(configured: string | undefined, dhcp: string | null): string {
  const fromDhcp = dhcp?.trim().split('.')[0] ?? '';
  return configured ?? (/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(fromDhcp) ? fromDhcp : DEFAULT_HOSTNAME);
}

export const hostname: Task = {
  name: 'hostname',
  run(ctx) {
    const name = chooseHostname(ctx.config.hostname, existsSync(DHCP_HOSTNAME) ? readFileSync(DHCP_HOSTNAME, 'utf8') : null);
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
