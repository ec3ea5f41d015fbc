// Kernel inputs: the command line (config words and init-only words) and the
// modules Docker and the virtual hardware need.
import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { parseCmdline } from '../../config/cmdline';
import { formatDiagnostic } from '../../config/diagnostic';
import { CMDLINE_JSON } from '../../config/paths';
import { atomicWrite } from '../../sys/atomic-write';
import { modulesFor, parseAliases, presentModaliases } from '../../sys/modalias';
import { type LoadReport, loadModules, loadModulesInTurns, modulesDir } from '../../sys/modules';
import type { Task } from '../stage';

/**
 * Loaded before the state disk is looked for: its drivers and file system.
 * Everything else loads in turns beside the boot's waits
 * (loadModulesInTurns): each load costs ~60 ms under emulation.
 */
export const BOOT_MODULES = [
  'virtio_pci', 'virtio_blk', 'virtio_scsi', 'virtio_console', 'ata_piix', 'sd_mod',
  // libcrc32c (ext4, nf_conntrack) needs a crc32c implementation: a softdep modules.dep does not list
  'crc32c_generic', 'crc32c_intel',
  'ext4', 'overlay',
];

/**
 * NICs (the network stage), the power button and console keyboard (its
 * watcher follows), what a datasource may be read from: a CD-ROM, an ISO 9660
 * or FAT config drive. FAT's default code page is 437 and its default
 * iocharset "ascii" (Debian's kernel), so a FAT config drive needs both NLS
 * tables or it does not mount.
 */
export const DRIVER_MODULES = [
  'virtio_net', 'e1000', 'af_packet',
  'button', 'evdev',
  'sr_mod', 'isofs', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_iso8859_1',
];

/**
 * Disk controllers and NICs of clouds and common hardware, loaded only where
 * such a device is present (matched by modalias, src/sys/modalias.ts): NVMe
 * (EC2 Nitro, GCP, most new servers), AHCI (SATA), Hyper-V's bus, disks and
 * NICs (Azure), Xen's (older EC2), VMware's PVSCSI and vmxnet3, ENA (EC2),
 * gVNIC (GCP), Intel's and Realtek's common NICs. Before storage, so a state
 * disk on any of them is found, and before the network stage.
 */
export const PRESENT_HARDWARE_MODULES = [
  'ahci', 'nvme', 'vmw_pvscsi', 'hv_vmbus', 'hv_storvsc', 'hv_netvsc', 'xen_blkfront', 'xen_netfront',
  'ena', 'gve', 'vmxnet3', 'e1000e', 'igb', 'r8169',
];
/** Where those devices are: acpi holds Hyper-V's VMBus, which then brings vmbus devices of its own. */
const HARDWARE_BUSES = ['pci', 'acpi', 'virtio', 'vmbus', 'xen'];

/** Docker networking: the user dockerd runs nested, it cannot load them itself. */
export const NETFILTER_MODULES = [
  'bridge', 'br_netfilter', 'veth', 'nf_conntrack', 'nf_nat', 'nf_tables', 'nft_compat', 'nft_chain_nat',
  'xt_MASQUERADE', 'xt_addrtype', 'xt_conntrack', 'xt_nat', 'xt_tcpudp', 'xt_mark', 'xt_comment', 'nf_conntrack_netlink',
  'iptable_nat', 'iptable_filter', 'ip_tables', 'ip6table_nat', 'ip6table_filter', 'ip6_tables',
];

/** Every module a boot loads: the image holds them (initramfs/build.ts). */
export const LOADED_AT_BOOT = [...BOOT_MODULES, ...DRIVER_MODULES, ...NETFILTER_MODULES];
/** Every module a boot may load: the image holds them too. */
export const SHIPPED_DRIVERS = [...LOADED_AT_BOOT, ...PRESENT_HARDWARE_MODULES];

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

function report(ctx: Parameters<Task['run']>[0], r: LoadReport): void {
  ctx.log.debug({ loaded: r.loaded }, `modules: ${r.loaded.length} loaded`);
  if (r.missing.length > 0) ctx.log.warn(`modules not found: ${r.missing.join(', ')}`);
  if (r.failed.length > 0) throw new Error(r.failed.map((f) => f.error).join('; '));
}

function loadTask(name: string, names: (ctx: Parameters<Task['run']>[0]) => string[]): Task {
  return { name, run: (ctx) => report(ctx, loadModules(release(), names(ctx))) };
}

function loadInTurnsTask(name: string, names: string[]): Task {
  return { name, run: async (ctx) => report(ctx, await loadModulesInTurns(release(), names)) };
}

export const loadBootModules = loadTask('load-modules', () => BOOT_MODULES);
export const loadDriverModules = loadInTurnsTask('load-driver-modules', DRIVER_MODULES);
export const loadNetfilterModules = loadInTurnsTask('load-netfilter-modules', NETFILTER_MODULES);
/**
 * The drivers of PRESENT_HARDWARE_MODULES for the devices this machine has.
 * A bus driver (hv_vmbus) makes devices appear that need drivers of their
 * own (hv_storvsc), so it looks again until nothing new matches.
 */
export const loadPresentHardware: Task = {
  name: 'load-present-hardware',
  run(ctx) {
    const wanted = new Set(PRESENT_HARDWARE_MODULES);
    const rules = parseAliases(readFileSync(`${modulesDir(release())}/modules.alias`, 'utf8'), wanted);
    const tried = new Set<string>();
    for (let pass = 0; pass < 3; pass++) {
      const found = modulesFor(presentModaliases(HARDWARE_BUSES), rules).filter((m) => !tried.has(m));
      if (found.length === 0) return;
      for (const m of found) tried.add(m);
      ctx.log.info(`modules: for the hardware present: ${found.join(', ')}`);
      report(ctx, loadModules(release(), found));
    }
  },
};

/** `rancher.modules` from the config, once it is loaded. */
export const loadConfigModules = loadTask('load-config-modules', (ctx) => ctx.config.rancher?.modules ?? []);
