// User story: a RancherOS node with a bonded uplink, a VLAN over the bond, hooks
// and IPv6 keeps its network model on ros. Two VMs share two private links
// (QEMU dgram netdevs on 127.0.0.1: nothing leaves this machine):
//   ros  eth1 ─ link A ─ eth1  peer        ros:  bond0 (active-backup, eth1+eth2) 192.168.50.1, fd00:50::1
//   ros  eth2 ─ link B ─ eth2  peer              bond0.100 10.100.0.1 (VLAN 100)
//                                         peer: br0 (bridge, eth1+eth2) 192.168.50.2, fd00:50::2, ipv4ll
//                                               br0.100 10.100.0.2 (VLAN 100)
// Both networks come from user-data on a config drive, so they are applied by
// the datasource stage's re-apply, as for any RancherOS user.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { configDriveIso } from './iso';
import { freeUdpPort } from './udp';
import { ipv4llCandidates } from '../../src/config/network-plan';

const BOOT_MS = 420_000; // two VMs boot at once on two cores
const CMD_MS = 60_000;
const work = mkdtempSync(join(tmpdir(), 'ros-net-'));
const HOOKS = '/var/log/e2e-net-hooks.log'; // the console sees the host's /var/log

const ROS_MAC = ['52:54:00:aa:00:01', '52:54:00:aa:00:02'];
const PEER_MAC = ['52:54:00:bb:00:01', '52:54:00:bb:00:02'];

// mac= matching on ros; names on the peer. The hooks write what they see, so
// their order against the address setup shows in the file.
const ROS_USER_DATA = `#cloud-config
rancher:
  network:
    interfaces:
      eth0:
        dhcp: true
      "mac=${ROS_MAC[0]}":
        bond: bond0
        pre_up: echo "slave-pre $iface" >> ${HOOKS}
      "mac=${ROS_MAC[1]}":
        bond: bond0
      bond0:
        address: 192.168.50.1/24
        addresses: ["fd00:50::1/64"]
        bond_opts:
          miimon: 100
          mode: active-backup
        vlans: "100"
        pre_up:
          - echo "bond-pre-1 $iface addrs=$(ip -4 addr show dev $iface 2>/dev/null | grep -c 192.168.50.1)" >> ${HOOKS}
          - echo "bond-pre-2" >> ${HOOKS}
        post_up: echo "bond-post $iface slaves=$(cat /sys/class/net/$iface/bonding/slaves) addrs=$(ip -4 addr show dev $iface | grep -c 192.168.50.1)" >> ${HOOKS}
      bond0.100:
        address: 10.100.0.1/24
        post_up: echo "vlan-post $iface" >> ${HOOKS}
`;

const PEER_USER_DATA = `#cloud-config
hostname: net-peer
rancher:
  network:
    interfaces:
      eth0:
        dhcp: true
      eth1:
        bridge: br0
        post_up: exit 3
      eth2:
        bridge: br0
      br0:
        bridge: true
        ipv4ll: true
        address: 192.168.50.2/24
        addresses: ["fd00:50::2/64"]
        vlans: "100"
      br0.100:
        address: 10.100.0.2/24
`;

/** One end of a point-to-point link: a NIC whose frames go to `remote` as UDP on 127.0.0.1. */
function link(id: string, mac: string, local: number, remote: number): string[] {
  return [
    '-netdev', `dgram,id=${id},local.type=inet,local.host=127.0.0.1,local.port=${local},remote.type=inet,remote.host=127.0.0.1,remote.port=${remote}`,
    '-device', `virtio-net-pci,netdev=${id},id=${id}-nic,mac=${mac}`,
  ];
}

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

describe('bond, VLAN, bridge, hooks and IPv6 between two VMs', () => {
  let ros: Qemu | undefined;
  let peer: Qemu | undefined;
  const started = Date.now();
  after(async () => {
    await Promise.all([ros?.stop(), peer?.stop()]);
    rmSync(work, { recursive: true, force: true });
    console.log(`# network e2e: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  const vms = () => {
    assert.ok(ros && peer, 'the VMs did not start');
    return { ros, peer };
  };

  before(async () => {
    const [a1, a2, b1, b2] = await Promise.all([freeUdpPort(), freeUdpPort(), freeUdpPort(), freeUdpPort()]);
    const common = { cpus: 1, memoryMb: 1536 };
    ros = await Qemu.start({
      ...common,
      name: 'network-ros',
      iso: configDriveIso(work, 'ros', ROS_USER_DATA, 'e2e-net-ros'),
      extraArgs: [...link('la', ROS_MAC[0]!, a1, a2), ...link('lb', ROS_MAC[1]!, b1, b2)],
    });
    peer = await Qemu.start({
      ...common,
      name: 'network-peer',
      iso: configDriveIso(work, 'peer', PEER_USER_DATA, 'e2e-net-peer'),
      extraArgs: [...link('la', PEER_MAC[0]!, a2, a1), ...link('lb', PEER_MAC[1]!, b2, b1)],
    });
    await Promise.all([ros.milestone('boot-complete', BOOT_MS), peer.milestone('boot-complete', BOOT_MS)]);
    console.log(`# network e2e: both booted after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  it('builds the bond from the two NICs matched by MAC, with its static v4 and v6 addresses', { timeout: CMD_MS * 2 }, async () => {
    const { ros } = vms();
    const r = await ros.run(
      'cat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/miimon /sys/class/net/bond0/bonding/slaves; ip -o addr show dev bond0 | grep -o "inet6\\? [0-9a-f.:]*/[0-9]*" | grep -v "fe80"',
      CMD_MS,
    );
    assert.deepEqual(lines(r.output), ['active-backup 1', '100', 'eth1 eth2', 'inet 192.168.50.1/24', 'inet6 fd00:50::1/64'], r.output);
  });

  it('ran pre_up before and post_up after each interface\'s setup, in order', { timeout: CMD_MS }, async () => {
    const { ros } = vms();
    const r = await ros.run(`cat ${HOOKS}`, CMD_MS);
    assert.deepEqual(lines(r.output), ['slave-pre eth1', 'bond-pre-1 bond0 addrs=0', 'bond-pre-2', 'bond-post bond0 slaves=eth1 eth2 addrs=1', 'vlan-post bond0.100'], r.output);
  });

  it('names the interface and the command of a failing hook, and configures the rest all the same', { timeout: CMD_MS }, async () => {
    const { peer } = vms();
    await peer.waitForInLog(/eth1 post_up command "exit 3" failed \(exit 3\)/, 1000);
    const r = await peer.run('cat /sys/class/net/eth1/master/uevent | grep INTERFACE; cat /sys/class/net/eth2/master/uevent | grep INTERFACE', CMD_MS);
    assert.deepEqual(lines(r.output), ['INTERFACE=br0', 'INTERFACE=br0'], r.output);
  });

  it('gives the peer\'s bridge a link-local IPv4 address (ipv4ll) next to its static one', { timeout: CMD_MS }, async () => {
    const { peer } = vms();
    const r = await peer.run('ip -4 -o addr show dev br0 | grep -o "inet [0-9.]*/[0-9]*"', CMD_MS);
    const got = lines(r.output).map((l) => l.replace('inet ', ''));
    assert.ok(got.includes('192.168.50.2/24'), r.output);
    const ll = got.filter((a) => a.startsWith('169.254.'));
    assert.equal(ll.length, 1, r.output);
    assert.ok(ipv4llCandidates('br0').map((a) => `${a}/16`).includes(ll[0]!), r.output);
  });

  it('answers the peer on IPv4 and IPv6 through the bond', { timeout: CMD_MS * 2 }, async () => {
    const { peer } = vms();
    const v4 = await peer.run('ping -c 3 -W 2 192.168.50.1 >/dev/null; echo v4=$?', CMD_MS);
    assert.match(v4.output, /v4=0/, v4.output);
    // DAD may still hold a fresh v6 address for a second or two.
    const v6 = await peer.run('for i in 1 2 3 4 5; do ping -6 -c 2 -W 2 fd00:50::1 >/dev/null && break; sleep 2; done; echo v6=$?', CMD_MS);
    assert.match(v6.output, /v6=0/, v6.output);
  });

  it('carries VLAN 100 from the bond\'s VLAN to the bridge\'s VLAN on the peer', { timeout: CMD_MS }, async () => {
    const { ros } = vms();
    const r = await ros.run('grep -o "VID: 100" /proc/net/vlan/bond0.100; ping -c 3 -W 2 10.100.0.2 >/dev/null; echo vlan=$?', CMD_MS);
    assert.deepEqual(lines(r.output), ['VID: 100', 'vlan=0'], r.output);
  });

  it('keeps answering when the active slave\'s link goes down (set_link), from the other slave', { timeout: CMD_MS * 3 }, async () => {
    const { ros, peer } = vms();
    const [before, mac] = lines((await ros.run('a=$(cat /sys/class/net/bond0/bonding/active_slave); echo $a; cat /sys/class/net/$a/bonding_slave/perm_hwaddr', CMD_MS)).output);
    assert.ok((before === 'eth1' || before === 'eth2') && mac, `active slave: ${before} ${mac}`);
    // In a bond every slave wears the bond's MAC: the permanent one tells which QEMU NIC it is.
    await ros.qmp('set_link', { name: mac === ROS_MAC[0] ? 'la-nic' : 'lb-nic', up: false });
    const other = before === 'eth1' ? 'eth2' : 'eth1';
    const now = await ros.runUntil('cat /sys/class/net/bond0/bonding/active_slave', new RegExp(`^${other}$`, 'm'), 20_000);
    assert.match(now, new RegExp(`^${other}$`, 'm'), now);
    const ping = await peer.run('ping -c 3 -W 2 192.168.50.1 >/dev/null; echo v4=$?; ping -6 -c 2 -W 2 fd00:50::1 >/dev/null; echo v6=$?', CMD_MS);
    assert.deepEqual(lines(ping.output), ['v4=0', 'v6=0'], ping.output);
    const vlan = await ros.run('ping -c 2 -W 2 10.100.0.2 >/dev/null; echo vlan=$?', CMD_MS);
    assert.match(vlan.output, /vlan=0/, vlan.output);
  });

  it('applies a changed rancher.network without a reboot: ros config set, ros network plan, ros network apply', { timeout: CMD_MS * 3 }, async () => {
    const { ros, peer } = vms();
    const set = await ros.run(`ros config set rancher.network.interfaces.bond0.addresses '["fd00:50::1/64", "192.168.50.11/24"]'; echo set=$?`, CMD_MS);
    assert.match(set.output, /set=0/, set.output);
    const plan = await ros.run('ros network plan', CMD_MS);
    assert.ok(lines(plan.output).includes('bond0: address 192.168.50.11/24'), plan.output);
    assert.ok(lines(plan.output).includes('eth1: join bond bond0'), plan.output);
    const apply = await ros.run('ros network apply; echo apply=$?', CMD_MS * 2);
    assert.match(apply.output, /network: applied\n[\s\S]*apply=0/, apply.output);
    const ping = await peer.run('ping -c 3 -W 2 192.168.50.11 >/dev/null; echo v4=$?', CMD_MS);
    assert.match(ping.output, /v4=0/, ping.output);
  });
});
