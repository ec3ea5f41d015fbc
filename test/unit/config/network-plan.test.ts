import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planInterfaces, resolvConf } from '../../../src/config/network-plan';

describe('planInterfaces', () => {
  it('by default uses DHCP on every eth* interface, skips lo and ignores the rest', () => {
    assert.deepEqual(
      planInterfaces(['lo', 'eth1', 'docker0', 'eth0', 'wlan0']).map((p) => [p.name, p.dhcp]),
      [
        ['eth0', true],
        ['eth1', true],
      ],
    );
  });

  it('uses the default when the network config has no interfaces', () => {
    assert.deepEqual(
      planInterfaces(['lo', 'eth0'], { dns: { nameservers: ['1.1.1.1'] } }).map((p) => p.name),
      ['eth0'],
    );
  });

  it('never plans lo, even when a glob matches it', () => {
    assert.deepEqual(planInterfaces(['lo', 'eth0'], { interfaces: { '*': { dhcp: true } } }).map((p) => p.name), ['eth0']);
  });

  it('prefers an exact name over a glob, whatever the order', () => {
    const plans = planInterfaces(['eth0', 'eth1'], {
      interfaces: { 'eth*': { dhcp: true }, eth1: { address: '10.0.0.5/24', gateway: '10.0.0.1', mtu: 1450 } },
    });
    assert.deepEqual(plans, [
      { name: 'eth0', dhcp: true, addresses: [], gateway: undefined, gatewayIpv6: undefined, mtu: undefined },
      { name: 'eth1', dhcp: false, addresses: ['10.0.0.5/24'], gateway: '10.0.0.1', gatewayIpv6: undefined, mtu: 1450 },
    ]);
  });

  it('leaves out interfaces no entry matches once interfaces are configured', () => {
    assert.deepEqual(planInterfaces(['eth0', 'eth1'], { interfaces: { eth1: { dhcp: true } } }).map((p) => p.name), ['eth1']);
  });

  it('turns DHCP off for a static address unless dhcp: true is given', () => {
    const [a] = planInterfaces(['eth0'], { interfaces: { eth0: { address: '192.168.1.2/24' } } });
    const [b] = planInterfaces(['eth0'], { interfaces: { eth0: { address: '192.168.1.2/24', dhcp: true } } });
    assert.equal(a?.dhcp, false);
    assert.equal(b?.dhcp, true);
    assert.deepEqual(b?.addresses, ['192.168.1.2/24']);
  });

  it('treats glob characters other than * and ? literally', () => {
    assert.deepEqual(planInterfaces(['eth0', 'ethX0', 'enp0s3'], { interfaces: { 'eth?': { dhcp: true }, 'en.*': { dhcp: true } } }).map((p) => p.name), ['eth0']);
  });

  it('gives interfaces in name order', () => {
    assert.deepEqual(planInterfaces(['eth2', 'eth0', 'eth1']).map((p) => p.name), ['eth0', 'eth1', 'eth2']);
  });
});

describe('planInterfaces by MAC address', () => {
  const net = {
    interfaces: {
      'eth*': { dhcp: true },
      'mac=0A:00:00:00:00:02': { dhcp: false, address: '10.1.0.5/16', addresses: ['2001:db8::5/64'], gateway: '10.1.0.1', gateway_ipv6: '2001:db8::1' },
    },
  };

  it('matches mac= before the name or a glob, whatever the case of the MAC', () => {
    const plans = planInterfaces([{ name: 'eth0', mac: '0a:00:00:00:00:01' }, { name: 'eth1', mac: '0a:00:00:00:00:02' }], net);
    assert.deepEqual(plans[0], { name: 'eth0', dhcp: true, addresses: [], gateway: undefined, gatewayIpv6: undefined, mtu: undefined });
    assert.deepEqual(plans[1], { name: 'eth1', dhcp: false, addresses: ['10.1.0.5/16', '2001:db8::5/64'], gateway: '10.1.0.1', gatewayIpv6: '2001:db8::1', mtu: undefined });
  });

  it('never takes a mac= key as an interface name', () => {
    assert.deepEqual(planInterfaces(['eth0'], { interfaces: { 'mac=0a:00:00:00:00:02': { address: '10.1.0.5/16' } } }), []);
  });
});

describe('resolvConf', () => {
  it('is null without nameservers', () => {
    assert.equal(resolvConf(), null);
    assert.equal(resolvConf({ dns: { search: ['example.com'] } }), null);
    assert.equal(resolvConf({ dns: { nameservers: [] } }), null);
  });

  it('lists nameservers in order', () => {
    assert.equal(resolvConf({ dns: { nameservers: ['8.8.8.8', '1.1.1.1'] } }), 'nameserver 8.8.8.8\nnameserver 1.1.1.1\n');
  });

  it('puts the search domains on one line first', () => {
    assert.equal(
      resolvConf({ dns: { nameservers: ['10.0.0.1'], search: ['a.example', 'b.example'] } }),
      'search a.example b.example\nnameserver 10.0.0.1\n',
    );
  });
});
