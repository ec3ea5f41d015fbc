import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkLocalAddress, planLinkLocal } from '../../../src/datasources/link-local';

const MD = '169.254.169.254';

describe('planLinkLocal', () => {
  it('does nothing when a route reaches the service already', () => {
    assert.deepEqual(planLinkLocal(MD, true, [{ name: 'eth0', hasIpv4: false }]), { commands: [], undo: [] });
  });

  it('gives an interface without an address a link-local one (no DHCP, as on DigitalOcean)', () => {
    const plan = planLinkLocal(MD, false, [{ name: 'lo', hasIpv4: true }, { name: 'eth0', mac: '52:54:00:12:34:56', hasIpv4: false }]);
    assert.deepEqual(plan.commands, [['link', 'set', 'eth0', 'up'], ['addr', 'add', '169.254.53.86/16', 'dev', 'eth0', 'scope', 'link']]);
    assert.deepEqual(plan.undo, [['addr', 'del', '169.254.53.86/16', 'dev', 'eth0']]);
  });

  it('adds a host route when the interface has an address but no route to the service', () => {
    const plan = planLinkLocal(MD, false, [{ name: 'eth1', hasIpv4: true }, { name: 'eth0', hasIpv4: true }]);
    assert.deepEqual(plan.commands[1], ['route', 'add', `${MD}/32`, 'dev', 'eth0', 'scope', 'link']);
  });

  it('leaves addresses that are not link-local to the routing table (Alibaba\'s 100.100.100.200)', () => {
    assert.deepEqual(planLinkLocal('100.100.100.200', false, [{ name: 'eth0', hasIpv4: false }]).commands, []);
  });
});

describe('linkLocalAddress', () => {
  it('never picks the metadata address itself or the reserved first subnet', () => {
    assert.notEqual(linkLocalAddress('00:00:00:00:a9:fe', MD), MD);
    assert.match(linkLocalAddress(undefined, MD), /^169\.254\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-3])\.\d+$/);
  });
});
