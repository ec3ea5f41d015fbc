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

function mountOne(entry: string[]): Promise<string | null> {
  const [device, target, fstype = 'auto', options = 'defaults'] = entry;
  if (!device || !target) return Promise.resolve(`mounts: ${JSON.stringify(entry)} needs at least [device, mountpoint]`);
  mkdirSync(target, { recursive: true });
  return runCaptured('mount', ['-t', fstype, '-o', options, device, target]).then((r) =>
    r.code === 0 ? null : `mount ${target} (${fstype}, ${device}): ${r.out.trim() || `exit ${r.code}`}`,
  );
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
