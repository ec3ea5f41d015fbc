// Kernel inputs: the command line (config words and init-only words) and the
// modules Docker and the virtual hardware need.
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { parseCmdline } from '../../config/cmdline';
import { formatDiagnostic } from '../../config/diagnostic';
import { CMDLINE_JSON } from '../../config/paths';
import { atomicWrite } from '../../sys/atomic-write';
import { loadModules } from '../../sys/modules';
import type { Task } from '../stage';

/** Loaded on every boot before config is read: disks, NICs, Docker's needs. */
export const BOOT_MODULES = [
  // virtual hardware
  'virtio_pci', 'virtio_blk', 'virtio_net', 'virtio_scsi', 'virtio_console', 'e1000', 'ata_piix', 'sr_mod', 'sd_mod',
  // libcrc32c (ext4, nf_conntrack) needs a crc32c implementation: a softdep modules.dep does not list
  'crc32c_generic', 'crc32c_intel',
  // filesystems; FAT's default code page is 437 and its default iocharset "ascii" (Debian's
  // kernel), so a config drive on FAT needs both NLS tables or it does not mount
  'ext4', 'overlay', 'isofs', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_iso8859_1',
  // Docker networking (the user dockerd runs nested, it cannot load them itself)
  'bridge', 'br_netfilter', 'veth', 'nf_conntrack', 'nf_nat', 'nf_tables', 'nft_compat', 'nft_chain_nat',
  'xt_MASQUERADE', 'xt_addrtype', 'xt_conntrack', 'xt_nat', 'xt_tcpudp', 'xt_mark', 'xt_comment', 'nf_conntrack_netlink',
  'iptable_nat', 'iptable_filter', 'ip_tables', 'ip6table_nat', 'ip6table_filter', 'ip6_tables', 'af_packet',
  // power button, console keyboard
  'button', 'evdev',
];

/**
 * Kernel messages of level info and below stay off the console (dmesg keeps
 * them), unless the user asked with `loglevel=` or `debug`. Panics still show.
 */
export const quietConsole: Task = {
  name: 'quiet-console',
  when: (ctx) => !ctx.cmdline.kernel.some((w) => w === 'debug' || w.startsWith('loglevel=')),
  run() {
    writeFileSync('/proc/sys/kernel/printk', '4 4 1 7');
  },
};

/**
 * No transparent huge pages, unless `transparent_hugepage=` asks for them.
 * With them on, the kernel keeps ~44 MiB free for compaction
 * (min_free_kbytes grows to fit 2 MiB pages) and backs the daemons' and
 * Node's heaps with 2 MiB pages they only partly use: 60-80 MiB of a 2 GiB
 * node for no gain on a Docker host (docs/architecture.md, "Memory").
 */
export const noHugePages: Task = {
  name: 'no-huge-pages',
  when: (ctx) => !ctx.cmdline.kernel.some((w) => w.startsWith('transparent_hugepage=')),
  run() {
    writeFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'never');
  },
};

/**
 * The one parse of the kernel command line: every later stage reads
 * ctx.cmdline, and the console and the CLI read what is published here.
 */
export const readCmdline: Task = {
  name: 'read-cmdline',
  run(ctx) {
    // The kernel passes the words after `--` as init's argv and keeps them in /proc/cmdline too.
    const argv = process.argv.slice(process.argv[1] === process.execPath ? 2 : 1);
    ctx.cmdline = parseCmdline(readFileSync('/proc/cmdline', 'utf8'), argv);
    atomicWrite(CMDLINE_JSON, JSON.stringify(ctx.cmdline), 0o600);
    // Reported here, once; the config stage merges what is left.
    for (const d of ctx.cmdline.dropped) ctx.log.error(`cmdline: ${formatDiagnostic(d)}`);
    for (const d of ctx.cmdline.warnings) ctx.log.warn(`cmdline: ${formatDiagnostic(d)}`);
  },
};

function loadTask(name: string, names: (ctx: Parameters<Task['run']>[0]) => string[]): Task {
  return { name, run: (ctx) => loadReported(ctx, names(ctx)) };
}

function loadReported(ctx: Parameters<Task['run']>[0], names: string[]): void {
  {
    const report = loadModules(release(), names);
    ctx.log.debug({ loaded: report.loaded }, `modules: ${report.loaded.length} loaded`);
    if (report.missing.length > 0) ctx.log.warn(`modules not found: ${report.missing.join(', ')}`);
    if (report.failed.length > 0) {
      throw new Error(report.failed.map((f) => f.error).join('; '));
    }
  }
}

export const loadBootModules = loadTask('load-modules', () => BOOT_MODULES);
/** `rancher.modules` from the config, once it is loaded. */
export const loadConfigModules = loadTask('load-config-modules', (ctx) => ctx.config.rancher?.modules ?? []);
