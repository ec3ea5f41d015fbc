// User story: ros runs on the machines people have, not only on QEMU's virtio
// devices. Clouds and servers put their disks on NVMe (EC2 Nitro, GCP, new
// servers) or AHCI (SATA), and their NICs are not virtio either: the boot
// loads the drivers of the devices present, found by modalias, before it looks
// for the state disk. One boot with QEMU's NVMe and AHCI controllers and an
// Intel e1000e NIC shows a state disk on NVMe formatted and used, the SATA disk
// seen, and the network up (docs/architecture.md, "The boot").
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu } from './qemu';
import { GiB, blankDisk } from './disk';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'ros-hw-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hardware: NVMe, AHCI and an e1000e NIC', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('loads their drivers, keeps state on the NVMe disk and brings the network up', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    vm = await Qemu.start({
      name: 'hardware',
      nvmeDisks: [blankDisk(join(dir, 'nvme.img'))],
      sataDisks: [blankDisk(join(dir, 'sata.img'), GiB)],
      nicModel: 'e1000e',
      cmdline: 'rancher.state.autoformat=[/dev/nvme0n1]',
    });
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForShell();
    // Loaded because the devices are there: none of them is on a list every boot loads.
    const mods = await vm.run('for m in nvme ahci e1000e; do test -d /sys/module/$m && echo "$m loaded"; done; test -d /sys/module/ena || echo "ena absent"', CMD_MS);
    for (const line of ['nvme loaded', 'ahci loaded', 'e1000e loaded', 'ena absent']) assert.match(mods.output, new RegExp(line), mods.output);
    const mounts = await vm.run('grep " /home " /proc/mounts; cat /sys/block/sda/size', CMD_MS);
    assert.match(mounts.output, /^\/dev\/nvme0n1 \/home ext4/m, mounts.output);
    assert.match(mounts.output, /^2097152\r?$/m, `the 1 GiB SATA disk as sda: ${mounts.output}`);
    // The e1000e NIC is eth0, with QEMU's DHCP lease.
    const net = await vm.run('ip -4 addr show eth0; readlink /sys/class/net/eth0/device/driver', CMD_MS);
    assert.match(net.output, /inet 10\.0\.2\.15\//, net.output);
    assert.match(net.output, /\/e1000e\r?$/m, net.output);
  });
});
