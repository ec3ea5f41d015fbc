import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const DEFAULT_CMDLINE = 'console=ttyS0 rancher.autologin=ttyS0';
/** UEFI firmware of Debian's ovmf package (scripts/ensure-packages installs it for the tests). */
export const OVMF = '/usr/share/ovmf/OVMF.fd';

/**
 * Single-threaded TCG. With one host thread per vCPU (QEMU's default), QEMU 7.2
 * can keep running a translation of kernel text that still holds the int3 the
 * kernel writes while it flips a static key (text_poke_bp), after the kernel
 * has restored the code: the guest then loops in its int3 handler (kernel 6.1:
 * both vCPUs stuck, the boot hangs) or oopses on int3 (kernel 6.12). Container
 * starts flip such keys (cgroup, scheduler and netfilter). One thread for all
 * vCPUs cannot race with itself. See README, "Why QEMU runs single-threaded".
 */
export const QEMU_ACCEL = process.env.ROS_QEMU_ACCEL ?? 'tcg,thread=single';

export interface QemuOptions {
  /** Names the console log: build/e2e-logs/<name>-<timestamp>.log */
  name: string;
  /** Kernel arguments appended to `baseCmdline`. */
  cmdline?: string;
  /** Default `console=ttyS0 rancher.autologin=ttyS0`; the serial port must stay the last console=. */
  baseCmdline?: string;
  /**
   * What the VM boots: `kernel` (default) passes -kernel/-initrd/-append; `cdrom` and
   * `disk` let the BIOS boot the ISO or the first disk, as on real hardware.
   */
  boot?: 'kernel' | 'cdrom' | 'disk';
  /** Default dist/vmlinuz and dist/initrd.img; relative paths are from the repo root. */
  kernel?: string;
  initrd?: string;
  memoryMb?: number; // 2048
  cpus?: number; // 2
  cpu?: string; // "max": TCG's default qemu64 model lacks instructions modern binaries use
  /** Raw disk images, attached in order as virtio disks (vda, vdb, …). */
  disks?: string[];
  /** Raw disk images, each on an NVMe controller of its own (nvme0n1, nvme1n1, …). */
  nvmeDisks?: string[];
  /** Raw disk images on one AHCI (SATA) controller (sda, sdb, …). */
  sataDisks?: string[];
  /** The user-network NIC's model (default virtio-net-pci), e.g. e1000e. */
  nicModel?: string;
  /** An ISO attached as a CD-ROM (e.g. a config drive). */
  iso?: string;
  /** Firmware: SeaBIOS (QEMU's default) or UEFI (OVMF, Debian's ovmf package). */
  firmware?: 'bios' | 'uefi';
  /** More options of the user-network NIC, e.g. a guestfwd rule. */
  nicOptions?: string;
  /** Default true: a guest reboot makes QEMU exit instead of booting again. */
  noReboot?: boolean;
  extraArgs?: string[];
}

export interface QemuPaths {
  kernel: string;
  initrd: string;
  qmpSocket: string;
  sshPort: number;
}

/**
 * The command line that starts QEMU: TCG (KVM is not available), the serial port on stdio
 * and nothing else there, user networking with ssh forwarded from 127.0.0.1:sshPort.
 * Wrapped in `setpriv --pdeathsig KILL` where available, so the kernel kills QEMU when the
 * test process dies from a signal no exit hook can catch.
 */
export function qemuArgv(opts: QemuOptions, p: QemuPaths): string[] {
  const args = [
    ...['-accel', QEMU_ACCEL, '-cpu', opts.cpu ?? 'max', '-m', String(opts.memoryMb ?? 2048)],
    ...['-smp', String(opts.cpus ?? 2), '-display', 'none', '-serial', 'stdio', '-monitor', 'none'],
    ...(opts.noReboot === false ? [] : ['-no-reboot']),
    ...bootArgs(opts, p),
    ...(opts.firmware === 'uefi' ? ['-bios', OVMF] : []),
    ...['-nic', `user,model=${opts.nicModel ?? 'virtio-net-pci'},hostfwd=tcp:127.0.0.1:${p.sshPort}-:22${opts.nicOptions ? `,${opts.nicOptions}` : ''}`],
    ...(opts.disks ?? []).flatMap((d) => ['-drive', `file=${d},if=virtio,format=raw`]),
    ...(opts.nvmeDisks ?? []).flatMap((d, i) => ['-drive', `file=${d},if=none,id=nvme${i},format=raw`, '-device', `nvme,drive=nvme${i},serial=ros-nvme-${i}`]),
    ...(opts.sataDisks?.length ? ['-device', 'ahci,id=ahci'] : []),
    ...(opts.sataDisks ?? []).flatMap((d, i) => ['-drive', `file=${d},if=none,id=sata${i},format=raw`, '-device', `ide-hd,drive=sata${i},bus=ahci.${i}`]),
    ...(opts.iso ? ['-drive', `file=${opts.iso},media=cdrom,readonly=on`] : []),
    ...['-qmp', `unix:${p.qmpSocket},server=on,wait=off`],
    ...(opts.extraArgs ?? []),
  ];
  const guard = existsSync('/usr/bin/setpriv') ? ['setpriv', '--pdeathsig', 'KILL', '--'] : [];
  return [...guard, 'qemu-system-x86_64', ...args];
}

function bootArgs(opts: QemuOptions, p: QemuPaths): string[] {
  if (opts.boot && opts.boot !== 'kernel' && opts.cmdline) throw new Error(`cmdline needs boot: 'kernel' (with ${opts.boot} the boot loader's config decides)`);
  switch (opts.boot ?? 'kernel') {
    case 'kernel':
      return ['-kernel', p.kernel, '-initrd', p.initrd, '-append', `${opts.baseCmdline ?? DEFAULT_CMDLINE} ${opts.cmdline ?? ''}`.trim()];
    case 'cdrom':
      return ['-boot', 'order=d'];
    case 'disk':
      return ['-boot', 'order=c'];
  }
}

/** A free TCP port on 127.0.0.1 for hostfwd (free now; QEMU binds it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}
