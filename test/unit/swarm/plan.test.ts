import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalSwarm } from '../../../src/docker/swarm';
import { advertiseAddress, backoffS, managerAddress, swarmEnabled, swarmPlan, type Membership } from '../../../src/swarm/plan';
import { parseDefaultRoute } from '../../../src/sys/net-links';
import { validateConfig } from '../../../src/config/validate';

const SECRET = 'k7Zc0v3mQ2xLr9PqTt8uWb5yHn1sDe4f';
const local = (over: Partial<LocalSwarm> = {}): LocalSwarm => ({ state: 'inactive', nodeId: '', nodeAddr: '', isManager: false, clusterId: '', error: '', remoteManagers: [], ...over });
const record: Membership = { nodeId: 'n1', clusterId: 'c1', role: 'worker', at: '2026-01-01T00:00:00Z' };

describe('swarmPlan', () => {
  it('does nothing without a role or managers to join', () => {
    assert.deepEqual(swarmPlan(undefined, local(), null), { do: 'off' });
    assert.deepEqual(swarmPlan({ cluster_secret: SECRET }, local(), null), { do: 'off' });
    assert.equal(swarmEnabled({ labels: { a: 'b' } }), false);
    assert.equal(swarmEnabled({ join: ['10.0.0.1'] }), true);
  });

  it('needs the cluster secret', () => {
    const s = swarmPlan({ role: 'manager' }, local(), null);
    assert.equal(s.do, 'invalid');
    assert.match(s.do === 'invalid' ? s.why : '', /cluster_secret is not set/);
  });

  it('starts a swarm on a manager with no managers to join', () => {
    assert.equal(swarmPlan({ role: 'manager', cluster_secret: SECRET }, local(), null).do, 'init');
  });

  it('joins as the configured role through the managers in join (worker by default)', () => {
    assert.deepEqual(swarmPlan({ join: ['10.0.0.1'], cluster_secret: SECRET }, local(), null), { do: 'join', role: 'worker', managers: ['10.0.0.1'], why: 'joining as a worker through 10.0.0.1' });
    const m = swarmPlan({ role: 'manager', join: ['10.0.0.1', '10.0.0.2'], cluster_secret: SECRET }, local(), null);
    assert.equal(m.do === 'join' && m.role, 'manager');
  });

  it('refuses a worker with nowhere to join', () => {
    const s = swarmPlan({ role: 'worker', cluster_secret: SECRET }, local(), null);
    assert.equal(s.do, 'invalid');
    assert.match(s.do === 'invalid' ? s.why : '', /rancher\.swarm\.join/);
  });

  it('leaves a member alone, and says when its role differs from the config', () => {
    assert.equal(swarmPlan({ role: 'worker', join: ['m'], cluster_secret: SECRET }, local({ state: 'active' }), record).do, 'member');
    const s = swarmPlan({ role: 'manager', join: ['m'], cluster_secret: SECRET }, local({ state: 'active' }), record);
    assert.match(s.do === 'member' ? s.why : '', /docker node promote/);
  });

  it('waits while the user Docker is joining or reconnecting: a second join would make a second node', () => {
    for (const state of ['pending', 'error', 'locked'] as const) assert.equal(swarmPlan({ join: ['m'], cluster_secret: SECRET }, local({ state }), record).do, 'wait', state);
  });

  it('stays out after being removed or leaving, unless rejoin is set', () => {
    const s = swarmPlan({ join: ['m'], cluster_secret: SECRET }, local(), record);
    assert.equal(s.do, 'stay-out');
    assert.match(s.do === 'stay-out' ? s.why : '', /left or was removed from the swarm c1 .*rancher\.swarm\.rejoin/);
    assert.equal(swarmPlan({ join: ['m'], cluster_secret: SECRET, rejoin: true }, local(), record).do, 'join');
    assert.equal(swarmPlan({ role: 'manager', cluster_secret: SECRET, rejoin: true }, local(), record).do, 'init');
    assert.equal(swarmPlan({ join: ['m'], cluster_secret: SECRET }, local({ state: 'error', error: 'node was removed from the cluster' }), record).do, 'stay-out');
  });
});

describe('backoffS', () => {
  it('doubles from 2 s up to a minute', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map(backoffS), [2, 4, 8, 16, 32, 60, 60, 60]);
  });
});

describe('managerAddress', () => {
  it('takes addresses and names, with or without the swarm port', () => {
    assert.deepEqual(managerAddress('10.0.0.1'), { host: '10.0.0.1', swarmPort: 2377, tokenPort: 2378 });
    assert.deepEqual(managerAddress('mgr.example:2400'), { host: 'mgr.example', swarmPort: 2400, tokenPort: 2378 });
    assert.deepEqual(managerAddress('[fd00::1]:2377'), { host: 'fd00::1', swarmPort: 2377, tokenPort: 2378 });
    assert.deepEqual(managerAddress('fd00::1'), { host: 'fd00::1', swarmPort: 2377, tokenPort: 2378 });
  });

  it('names the bad entry', () => {
    for (const bad of ['', 'a b', '10.0.0.1:99999', 'http://x']) assert.match(String((managerAddress(bad) as { error?: string }).error), /rancher\.swarm\.join/, bad);
  });
});

describe('advertiseAddress', () => {
  const ifaces = { eth0: [{ address: '10.0.2.15', family: 'IPv4', internal: false }], eth1: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '192.168.60.2', family: 'IPv4', internal: false }] };

  it('uses an address as given, an interface\'s IPv4 address, or the default route\'s', () => {
    assert.deepEqual(advertiseAddress('192.168.60.9', ifaces, 'eth0'), { addr: '192.168.60.9' });
    assert.deepEqual(advertiseAddress('eth1', ifaces, 'eth0'), { addr: '192.168.60.2' });
    assert.deepEqual(advertiseAddress(undefined, ifaces, 'eth0'), { addr: '10.0.2.15' });
  });

  it('waits for an interface without an address, or for a default route', () => {
    assert.deepEqual(advertiseAddress('eth2', ifaces, 'eth0'), { wait: 'interface eth2 has no IPv4 address yet' });
    assert.ok('wait' in advertiseAddress(undefined, ifaces, null));
  });

  it('finds the default route\'s interface in /proc/net/route', () => {
    const text = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
      'eth1\t003CA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
      'eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n';
    assert.equal(parseDefaultRoute(text), 'eth0');
    assert.equal(parseDefaultRoute(text.split('\n').slice(0, 2).join('\n')), null);
  });
});

describe('rancher.swarm in a cloud-config', () => {
  it('validates a whole swarm section, and refuses a short secret or an unknown role naming the key', () => {
    const ok = validateConfig(`#cloud-config\nrancher:\n  swarm:\n    role: worker\n    advertise_addr: eth1\n    join: ["10.0.0.1"]\n    cluster_secret: ${SECRET}\n    labels: {zone: a}\n    rejoin: false\n`, 'c.yml');
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const short = validateConfig('#cloud-config\nrancher:\n  swarm:\n    role: worker\n    cluster_secret: short\n', 'c.yml');
    assert.equal(short.ok, false);
    assert.ok(!short.ok && short.diagnostics.some((d) => d.path === 'rancher.swarm.cluster_secret' && d.line === 5), JSON.stringify(short));
    const role = validateConfig(`#cloud-config\nrancher:\n  swarm:\n    role: boss\n    cluster_secret: ${SECRET}\n`, 'c.yml');
    assert.ok(!role.ok && role.diagnostics.some((d) => d.path === 'rancher.swarm.role'), JSON.stringify(role));
  });
});
