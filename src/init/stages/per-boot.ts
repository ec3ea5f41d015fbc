// cloud-config modules that apply on every boot: sysctl, mounts, bootcmd.
// (hostname and modules are in host.ts / kernel.ts.)
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Task } from '../stage';
import { runCaptured } from '../children';
import { runCommand } from '../cloud-init/commands';

/** Pure: net.ipv4.ip_forward → /proc/sys/net/ipv4/ip_forward. */
export function sysctlPath(key: string): string | null {
  if (!/^[A-Za-z0-9_.-]+$/.test(key) || key.includes('..')) return null;
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

export const sysctl: Task = {
  name: 'sysctl',
  when: (ctx) => Object.keys(ctx.config.rancher?.sysctl ?? {}).length > 0,
  run(ctx) {
    const failed: string[] = [];
    for (const [key, value] of Object.entries(ctx.config.rancher?.sysctl ?? {})) {
      const path = sysctlPath(key);
      try {
        if (!path) throw new Error('not a sysctl name');
        writeFileSync(path, String(value));
      } catch (err) {
        failed.push(`rancher.sysctl.${key}: ${(err as Error).message}`);
      }
    }
    if (failed.length > 0) throw new Error(failed.join('; '));
  },
};

/**
 * Pure: the command for one `mounts` entry, cloud-init's form `[device,
 * mountpoint, fstype, options]`. Empty fields take their defaults (`auto`,
 * `defaults`), as in cloud-init and RancherOS; a swap entry (`[/dev/vdb, "",
 * swap, ""]`, its mountpoint empty or `none`) is turned on with swapon.
 */
export function mountCommand(entry: string[]): { argv: string[]; target: string | null } | { error: string } {
  const [device = '', target = '', fstype = '', options = ''] = entry.map((f) => String(f ?? '').trim());
  if (!device) return { error: `mounts: ${JSON.stringify(entry)} names no device` };
  if (fstype === 'swap') return { argv: ['swapon', device], target: null };
  if (!target || target === 'none') return { error: `mounts: ${JSON.stringify(entry)} names no mountpoint` };
  if (!target.startsWith('/')) return { error: `mounts: mountpoint ${JSON.stringify(target)} is not an absolute path` };
  return { argv: ['mount', '-t', fstype || 'auto', '-o', options || 'defaults', device, target], target };
}

async function mountOne(entry: string[]): Promise<string | null> {
  const cmd = mountCommand(entry);
  if ('error' in cmd) return cmd.error;
  if (cmd.target) mkdirSync(cmd.target, { recursive: true });
  const [prog = 'mount', ...args] = cmd.argv;
  const r = await runCaptured(prog, args);
  return r.code === 0 ? null : `${cmd.argv.join(' ')}: ${r.out.trim() || `exit ${r.code}`}`;
}

export const mounts: Task = {
  name: 'mounts',
  when: (ctx) => (ctx.config.mounts ?? []).length > 0,
  async run(ctx) {
    const errors = (await Promise.all((ctx.config.mounts ?? []).map(mountOne))).filter((e): e is string => e !== null);
    if (errors.length > 0) throw new Error(errors.join('; '));
  },
};

export const bootcmd: Task = {
  name: 'bootcmd',
  when: (ctx) => (ctx.config.bootcmd ?? []).length > 0,
  async run(ctx) {
    for (const [i, cmd] of (ctx.config.bootcmd ?? []).entries()) await runCommand(ctx.log, `bootcmd[${i}]`, cmd, ctx.env);
  },
};
