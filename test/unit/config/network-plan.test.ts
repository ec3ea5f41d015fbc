import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4llCandidates, parseVlans, planDns, planNetwork, stepsOf, type NetStep, type NetworkPlan } from '../../../src/config/network-plan';
import type { NetworkConfig } from '../../../src/config/types';

const names = (plan: NetworkPlan): [string, boolean][] => plan.interfaces.map((p) => [p.name, p.dhcp]);
/** Steps as short strings, easy to compare in order. */
const show = (steps: NetStep[]): string[] =>
  steps.map((s) => {
    switch (s.op) {
      case 'load-modules':
        return `load ${s.modules.join(',')}`;
      case 'run':
        return `${s.hook}${s.iface ? ` ${s.iface}` : ''}: ${s.command}`;
      case 'create-bond':
        return `create-bond ${s.iface} ${s.opts.map(([k, v]) => `${k}=${v}`).join(' ')}`.trim();
      case 'create-vlan':
        return `create-vlan ${s.iface} on ${s.parent} id ${s.id}`;
      case 'enslave':
        return `enslave ${s.iface} to ${s.bond}`;
      case 'add-to-bridge':
        return `add ${s.iface} to ${s.bridge}`;
      case 'mtu':
        return `mtu ${s.iface} ${s.mtu}`;
      case 'address':
        return `address ${s.iface} ${s.cidr}`;
      case 'default-route':
        return `route${s.ipv6 ? '6' : ''} ${s.iface} via ${s.via}`;
      case 'dhcp':
        return `dhcp ${s.iface}${s.args.length ? ` ${s.args.join(' ')}` : ''}`;
      case 'ipv4ll':
        return `ipv4ll ${s.iface}`;
      default:
        return `${s.op} ${s.iface}`;
    }
  });
const plan = (present: Parameters<typeof planNetwork>[0], net: NetworkConfig) => planNetwork(present, net);

describe('planNetwork: plain interfaces', () => {
  it('by default uses DHCP on every eth* interface, skips lo and ignores the rest', () => {
    const p = planNetwork(['lo', 'eth1', 'docker0', 'eth0', 'wlan0']);
    assert.deepEqual(names(p), [
      ['eth0', true],
      ['eth1', true],
    ]);
    assert.deepEqual(show(p.steps), ['up eth0', 'dhcp eth0', 'up eth1', 'dhcp eth1']);
  });

  it('uses the default when the network config has no interfaces', () => {
    assert.deepEqual(names(plan(['lo', 'eth0'], { dns: { nameservers: ['1.1.1.1'] } })), [['eth0', true]]);
    assert.deepEqual(names(plan(['eth0'], { interfaces: {} })), [['eth0', true]]);
  });

  it('never plans lo, even when a glob matches it', () => {
    assert.deepEqual(names(plan(['lo', 'eth0'], { interfaces: { '*': { dhcp: true } } })), [['eth0', true]]);
  });

  it('prefers an exact name over a glob, whatever the order, and sets MTU before the link goes up', () => {
    const p = plan(['eth0', 'eth1'], { interfaces: { 'eth*': { dhcp: true }, eth1: { address: '10.0.0.5/24', gateway: '10.0.0.1', mtu: 1450 } } });
    assert.deepEqual(show(p.steps), ['up eth0', 'dhcp eth0', 'mtu eth1 1450', 'up eth1', 'address eth1 10.0.0.5/24', 'route eth1 via 10.0.0.1']);
    assert.deepEqual(p.interfaces[1], {
      name: 'eth1', kind: 'physical', entry: 'eth1', dhcp: false, dhcpv6: false, ipv4ll: false,
      addresses: ['10.0.0.5/24'], gateway: '10.0.0.1', gatewayIpv6: undefined, mtu: 1450,
    });
  });

  it('leaves out interfaces no entry matches once interfaces are configured', () => {
    assert.deepEqual(names(plan(['eth0', 'eth1'], { interfaces: { eth1: { dhcp: true } } })), [['eth1', true]]);
  });

  it('turns DHCP off for a static address unless dhcp: true is given', () => {
    assert.equal(plan(['eth0'], { interfaces: { eth0: { address: '192.168.1.2/24' } } }).interfaces[0]?.dhcp, false);
    const both = plan(['eth0'], { interfaces: { eth0: { address: '192.168.1.2/24', dhcp: true } } });
    assert.deepEqual(show(both.steps), ['up eth0', 'address eth0 192.168.1.2/24', 'dhcp eth0']);
  });

  it('treats glob characters other than * and ? literally', () => {
    assert.deepEqual(
      plan(['eth0', 'ethX0', 'enp0s3'], { interfaces: { 'eth?': { dhcp: true }, 'en.*': { dhcp: true } } }).interfaces.map((p) => p.name),
      ['eth0'],
    );
  });

  it('gives interfaces in name order', () => {
    assert.deepEqual(planNetwork(['eth2', 'eth0', 'eth1']).interfaces.map((p) => p.name), ['eth0', 'eth1', 'eth2']);
  });

  it('plans static IPv4 and IPv6 together: addresses in order, then both gateways', () => {
    const p = plan(['eth0'], {
      interfaces: { eth0: { address: '10.1.0.5/16', addresses: ['2001:db8::5/64', '10.1.0.6/16'], gateway: '10.1.0.1', gateway_ipv6: '2001:db8::1' } },
    });
    assert.deepEqual(show(p.steps), [
      'up eth0',
      'address eth0 10.1.0.5/16',
      'address eth0 2001:db8::5/64',
      'address eth0 10.1.0.6/16',
      'route eth0 via 10.1.0.1',
      'route6 eth0 via 2001:db8::1',
    ]);
  });

  it('runs DHCPv6 only when asked, and passes dhcp_args to udhcpc', () => {
    const p = plan(['eth0'], { interfaces: { eth0: { dhcpv6: true, dhcp_args: `-x hostname:node1 -O "search"` } } });
    assert.deepEqual(show(p.steps), ['up eth0', 'dhcp eth0 -x hostname:node1 -O search', 'dhcpv6 eth0']);
    assert.deepEqual(p.warnings, []);
  });

  it('ignores a RancherOS dhcpcd command line in dhcp_args, with a warning', () => {
    const p = plan(['eth0'], { interfaces: { eth0: { dhcp: true, dhcp_args: 'dhcpcd -MA4 -h node1' } } });
    assert.deepEqual(stepsOf(p, 'dhcp')[0]?.args, []);
    assert.match(p.warnings.join('\n'), /eth0: dhcp_args is a dhcpcd command line/);
  });

  it('plans ipv4ll instead of DHCP, with candidates derived from the interface', () => {
    const p = plan(['eth0'], { interfaces: { eth0: { ipv4ll: true } } });
    assert.deepEqual(show(p.steps), ['up eth0', 'ipv4ll eth0']);
    const [step] = stepsOf(p, 'ipv4ll');
    assert.deepEqual(step?.candidates, ipv4llCandidates('eth0'));
    for (const a of step?.candidates ?? []) assert.match(a, /^169\.254\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])\.\d{1,3}$/);
    assert.equal(new Set(step?.candidates).size, 4);
  });

  it('waits dhcp_timeout seconds for leases (8 by default)', () => {
    assert.equal(planNetwork(['eth0']).leaseWaitMs, 8000);
    assert.equal(plan(['eth0'], { dhcp_timeout: 20 }).leaseWaitMs, 20000);
  });
});

describe('planNetwork: matching', () => {
  const net: NetworkConfig = {
    interfaces: {
      'eth*': { dhcp: true },
      'mac=0A:00:00:00:00:02': { dhcp: false, address: '10.1.0.5/16' },
    },
  };

  it('matches mac= before the name or a glob, whatever the case of the MAC', () => {
    const p = plan([{ name: 'eth0', mac: '0a:00:00:00:00:01' }, { name: 'eth1', mac: '0a:00:00:00:00:02' }], net);
    assert.deepEqual(names(p), [
      ['eth0', true],
      ['eth1', false],
    ]);
    assert.equal(p.interfaces[1]?.entry, 'mac=0A:00:00:00:00:02');
  });

  it('never takes a mac= key as an interface name', () => {
    assert.deepEqual(plan(['eth0'], { interfaces: { 'mac=0a:00:00:00:00:02': { address: '10.1.0.5/16' } } }).interfaces, []);
  });

  it('never matches a virtual device (a bond has its first slave\'s MAC) by mac=', () => {
    const p = plan(
      [
        { name: 'bond0', mac: '0a:00:00:00:00:02', virtual: true },
        { name: 'eth1', mac: '0a:00:00:00:00:02' },
      ],
      { interfaces: { 'mac=0a:00:00:00:00:02': { address: '10.1.0.5/16' } } },
    );
    assert.deepEqual(names(p), [['eth1', false]]);
  });

  it('takes match: as the pattern instead of the key', () => {
    const p = plan([{ name: 'eth0', mac: '52:54:00:00:00:01' }, { name: 'ens3' }], {
      interfaces: { uplink: { match: 'mac=52:54:00:00:00:01', address: '10.0.0.2/24' }, lan: { match: 'ens*', dhcp: true } },
    });
    assert.deepEqual(
      p.interfaces.map((i) => [i.name, i.entry]),
      [
        ['ens3', 'lan'],
        ['eth0', 'uplink'],
      ],
    );
    // A key with a match of its own is not an interface name.
    assert.equal(plan(['uplink'], { interfaces: { uplink: { match: 'eth9', dhcp: true } } }).interfaces.length, 0);
  });
});

describe('planNetwork: bonds, VLANs, bridges', () => {
  const bond: NetworkConfig = {
    interfaces: {
      bond0: { address: '192.168.10.2/24', gateway: '192.168.10.1', bond_opts: { miimon: 100, mode: 'active-backup' } },
      'mac=52:54:00:00:00:11': { bond: 'bond0' },
      'mac=52:54:00:00:00:12': { bond: 'bond0' },
    },
  };
  const nics = [
    { name: 'eth0', mac: '52:54:00:00:00:10' },
    { name: 'eth1', mac: '52:54:00:00:00:11' },
    { name: 'eth2', mac: '52:54:00:00:00:12' },
  ];

  it('a bond with two slaves: module, bond with mode first, slaves enslaved, then the bond configured', () => {
    const p = plan(nics, bond);
    assert.deepEqual(show(p.steps), [
      'load bonding',
      'create-bond bond0 mode=active-backup miimon=100',
      'enslave eth1 to bond0',
      'enslave eth2 to bond0',
      'up bond0',
      'address bond0 192.168.10.2/24',
      'route bond0 via 192.168.10.1',
    ]);
    assert.deepEqual(
      p.interfaces.map((i) => [i.name, i.kind, i.master?.name ?? '', i.dhcp]),
      [
        ['eth1', 'physical', 'bond0', false],
        ['eth2', 'physical', 'bond0', false],
        ['bond0', 'bond', '', false],
      ],
    );
    assert.deepEqual(p.warnings, []);
  });

  it('does not create a bond that exists already, and says its bond_opts wait for a new bond', () => {
    const p = plan([...nics, { name: 'bond0', mac: '52:54:00:00:00:11', virtual: true }], bond);
    assert.equal(stepsOf(p, 'create-bond').length, 0);
    assert.equal(stepsOf(p, 'load-modules').length, 0);
    assert.deepEqual(stepsOf(p, 'enslave').map((s) => s.iface), ['eth1', 'eth2']);
    assert.match(p.warnings.join('\n'), /bond0: bond_opts are set when the bond is created/);
  });

  it('ignores a slave\'s own addresses and DHCP, with a warning', () => {
    const p = plan(['eth1'], { interfaces: { eth1: { bond: 'bond0', dhcp: true, address: '10.0.0.1/24' } } });
    assert.deepEqual(show(p.steps), ['load bonding', 'create-bond bond0', 'enslave eth1 to bond0', 'up bond0']);
    assert.match(p.warnings[0] ?? '', /eth1: joins bond bond0, so its own addresses, gateways and DHCP are ignored/);
  });

  it('a VLAN on a bond: the VLAN is created after the bond and configured after it', () => {
    const p = plan(nics, {
      interfaces: { ...bond.interfaces, bond0: { ...bond.interfaces!.bond0, vlans: '100,200:storage' }, 'bond0.100': { address: '10.100.0.2/24' } },
    });
    assert.deepEqual(show(p.steps), [
      'load bonding,8021q',
      'create-bond bond0 mode=active-backup miimon=100',
      'create-vlan bond0.100 on bond0 id 100',
      'create-vlan storage on bond0 id 200',
      'enslave eth1 to bond0',
      'enslave eth2 to bond0',
      'up bond0',
      'address bond0 192.168.10.2/24',
      'route bond0 via 192.168.10.1',
      'up bond0.100',
      'address bond0.100 10.100.0.2/24',
      // No entry names it: it is made and brought up, nothing more.
      'up storage',
    ]);
  });

  it('a bridge over a VLAN: VLAN first, then the bridge with the VLAN as member', () => {
    const p = plan(['eth0'], {
      interfaces: {
        eth0: { vlans: 30, dhcp: false },
        'eth0.30': { bridge: 'br0' },
        br0: { bridge: true, address: '10.30.0.1/24', mtu: 1400 },
      },
    });
    assert.deepEqual(show(p.steps), [
      'load 8021q,bridge',
      'create-vlan eth0.30 on eth0 id 30',
      'create-bridge br0',
      'up eth0',
      'add eth0.30 to br0',
      'up eth0.30',
      'mtu br0 1400',
      'up br0',
      'address br0 10.30.0.1/24',
    ]);
    assert.deepEqual(
      p.interfaces.map((i) => [i.name, i.kind]),
      [
        ['eth0', 'physical'],
        ['eth0.30', 'vlan'],
        ['br0', 'bridge'],
      ],
    );
  });

  it('a bridge as RancherOS documents it: br0 with bridge: true and DHCP, eth0 a member', () => {
    const p = plan(['eth0'], { interfaces: { br0: { bridge: true, dhcp: true }, eth0: { bridge: 'br0' } } });
    assert.deepEqual(show(p.steps), ['load bridge', 'create-bridge br0', 'add eth0 to br0', 'up eth0', 'up br0', 'dhcp br0']);
  });

  it('plain VLANs on a NIC, RancherOS form', () => {
    const p = plan(['eth0'], { interfaces: { eth0: { vlans: '100,200:foobar', dhcp: true } } });
    assert.deepEqual(show(p.steps), ['load 8021q', 'create-vlan eth0.100 on eth0 id 100', 'create-vlan foobar on eth0 id 200', 'up eth0', 'dhcp eth0', 'up eth0.100', 'up foobar']);
  });

  it('makes no VLAN of a VLAN when a glob matches the VLAN too', () => {
    const p = plan(['eth0'], { interfaces: { 'eth*': { vlans: '5', dhcp: true } } });
    assert.deepEqual(stepsOf(p, 'create-vlan').map((s) => s.iface), ['eth0.5']);
    // eth0.5 matches eth* and gets its DHCP, as on RancherOS.
    assert.deepEqual(names(p), [
      ['eth0', true],
      ['eth0.5', true],
    ]);
  });

  it('reports a bad VLAN spec and keeps the good ones', () => {
    assert.deepEqual(parseVlans('100, 5000,x,7:a-b', 'eth0'), {
      vlans: [
        { id: 100, name: 'eth0.100' },
        { id: 7, name: 'a-b' },
      ],
      errors: ['eth0: vlans: "5000" is not id or id:name with an id of 1–4094', 'eth0: vlans: "x" is not id or id:name with an id of 1–4094'],
    });
  });

  it('loads no module when nothing is created', () => {
    assert.equal(stepsOf(planNetwork(['eth0']), 'load-modules').length, 0);
  });
});

describe('planNetwork: hooks', () => {
  it('runs pre_cmds, then per interface pre_up before and post_up after its setup, then post_cmds', () => {
    const p = plan(['eth0', 'eth1'], {
      pre_cmds: 'echo start',
      post_cmds: ['echo end'],
      interfaces: {
        eth1: { bond: 'bond0', pre_up: 'echo slave-pre $iface', post_up: ['echo slave-post'] },
        bond0: { address: '10.0.0.2/24', pre_up: ['echo bond-pre 1', '  ', 'echo bond-pre 2'], post_up: 'ip route add 10.9.0.0/16 via 10.0.0.1' },
        eth0: { dhcp: true, pre_up: 'echo eth0-pre' },
      },
    });
    assert.deepEqual(show(p.steps), [
      'pre_cmds: echo start',
      'load bonding',
      'create-bond bond0',
      'pre_up eth0: echo eth0-pre',
      'up eth0',
      'dhcp eth0',
      'pre_up eth1: echo slave-pre $iface',
      'enslave eth1 to bond0',
      'post_up eth1: echo slave-post',
      'pre_up bond0: echo bond-pre 1',
      'pre_up bond0: echo bond-pre 2',
      'up bond0',
      'address bond0 10.0.0.2/24',
      'post_up bond0: ip route add 10.9.0.0/16 via 10.0.0.1',
      'post_cmds: echo end',
    ]);
  });
});

describe('planDns', () => {
  it('leaves resolvers to DHCP without nameservers', () => {
    assert.deepEqual(planDns(), { resolvConf: null, static: false, search: [], fallback: [] });
    assert.deepEqual(planDns({ dns: { search: ['example.com'] } }), { resolvConf: null, static: false, search: ['example.com'], fallback: [] });
  });

  it('lets the config\'s nameservers win by default, search line first', () => {
    assert.deepEqual(planDns({ dns: { nameservers: ['10.0.0.1', '1.1.1.1'], search: ['a.example', 'b.example'] } }), {
      resolvConf: 'search a.example b.example\nnameserver 10.0.0.1\nnameserver 1.1.1.1\n',
      static: true,
      search: ['a.example', 'b.example'],
      fallback: [],
    });
    assert.equal(planDns({ dns: { nameservers: ['8.8.8.8'], override: true } }).static, true);
  });

  it('with override: false, DHCP\'s resolvers come first and the config\'s follow', () => {
    assert.deepEqual(planDns({ dns: { nameservers: ['8.8.8.8'], override: false } }), {
      resolvConf: 'nameserver 8.8.8.8\n',
      static: false,
      search: [],
      fallback: ['8.8.8.8'],
    });
  });
});
