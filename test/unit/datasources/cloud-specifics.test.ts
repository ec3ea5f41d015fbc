// What is particular to each cloud: EC2's token flow, GCE's flavor header and
// project keys, DigitalOcean's static network, OpenStack's EC2 fallback,
// Azure's OVF custom data and ready report.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ec2 } from '../../../src/datasources/ec2';
import { gce, gceKeys } from '../../../src/datasources/gce';
import { digitalocean } from '../../../src/datasources/digitalocean';
import { prefixOf } from '../../../src/datasources/netmask';
import { openstack } from '../../../src/datasources/openstack';
import { openStackNetwork } from '../../../src/datasources/openstack-network';
import { azure, WIRESERVER } from '../../../src/datasources/azure';
import { metaConfig } from '../../../src/datasources/meta-config';
import { startEmulator, type Api, type Emulator, type Faults } from '../../emulators/server';
import * as api from '../../emulators/clouds';
import { testEnv } from './env';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKey e2e@test';
const f: api.Fixture = { instanceId: 'i-0abc', hostname: 'ip-10-0-0-5.ec2.internal', sshKeys: [KEY], userData: '#!/bin/sh\necho hi\n' };

const started: Emulator[] = [];
after(() => Promise.all(started.map((e) => e.close())));
async function serve(a: Api, faults?: Faults): Promise<Emulator> {
  const e = await startEmulator(a, faults);
  started.push(e);
  return e;
}

describe('ec2', () => {
  it('uses IMDSv2: a token first, then every GET carries it (the emulator refuses any without)', async () => {
    const e = await serve(api.ec2Api(f, 'v2-required'));
    const meta = await ec2.fetch(testEnv(e.url));
    assert.equal(meta?.instanceId, 'i-0abc');
    assert.equal(e.requests[0]?.method, 'PUT');
    assert.ok(e.requests.slice(1).every((r) => r.headers['x-aws-ec2-metadata-token'] === api.EC2_TOKEN));
  });

  it('falls back to IMDSv1 when the service does not know the token PUT, and says so', async () => {
    const e = await serve(api.ec2Api(f, 'v1-only'));
    const env = testEnv(e.url);
    const meta = await ec2.fetch(env);
    assert.deepEqual(meta?.sshKeys, [KEY]);
    assert.match(env.notes.join('\n'), /IMDSv1/);
    assert.ok(e.requests.slice(1).every((r) => r.headers['x-aws-ec2-metadata-token'] === undefined));
  });

  it('still succeeds when the service fails its first 3 requests', async () => {
    const e = await serve(api.ec2Api(f, 'v2-required'), { failFirst: 3 });
    assert.equal((await ec2.fetch(testEnv(e.url, 5000)))?.instanceId, 'i-0abc');
  });
});

describe('gce', () => {
  it('drops the user part of ssh-keys lines', () => {
    assert.deepEqual(gceKeys(`rancher:${KEY}\n\nadmin:ecdsa-sha2-nistp256 AAAA x`), [KEY, 'ecdsa-sha2-nistp256 AAAA x']);
  });

  it('adds project keys unless the instance blocks them', async () => {
    const PROJECT = 'ssh-rsa AAAAB3project project@key';
    const open = await gce.fetch(testEnv((await serve(api.gceApi(f, [PROJECT]))).url));
    assert.deepEqual(open?.sshKeys, [KEY, PROJECT]);
    const blocked = await gce.fetch(testEnv((await serve(api.gceApi(f, [PROJECT], true))).url));
    assert.deepEqual(blocked?.sshKeys, [KEY]);
  });

  it('sends Metadata-Flavor: Google with every request', async () => {
    const e = await serve(api.gceApi(f));
    await gce.fetch(testEnv(e.url));
    assert.ok(e.requests.length > 0 && e.requests.every((r) => r.headers['metadata-flavor'] === 'Google'));
  });
});

describe('digitalocean', () => {
  const net: api.DoNetwork = {
    mac: '52:54:00:12:34:56', ipv4: '203.0.113.10', netmask: '255.255.240.0', gateway: '203.0.113.1',
    ipv6: '2001:DB8::10', cidr: 64, gateway6: '2001:DB8::1', nameservers: ['1.1.1.1', '2606:4700:4700::1111'],
  };

  it('turns the public interface and DNS into rancher.network, matched by MAC', async () => {
    const meta = await digitalocean.fetch(testEnv((await serve(api.digitaloceanApi(f, net))).url));
    assert.deepEqual(meta?.network, {
      interfaces: {
        'mac=52:54:00:12:34:56': { dhcp: false, addresses: ['203.0.113.10/20', '2001:db8::10/64'], gateway: '203.0.113.1', gateway_ipv6: '2001:db8::1' },
      },
      dns: { nameservers: ['1.1.1.1', '2606:4700:4700::1111'] },
    });
  });

  it('reads netmasks as prefixes and refuses a mask with holes', () => {
    assert.equal(prefixOf('255.255.255.0'), 24);
    assert.equal(prefixOf('255.255.255.255'), 32);
    assert.equal(prefixOf('0.0.0.0'), 0);
    assert.equal(prefixOf('255.0.255.0'), null);
    assert.equal(prefixOf('ffff:ffff:ffff:ffff::'), 64);
    assert.equal(prefixOf('ffff:ffff:ffff:ff00:0:0:0:0'), 56);
    assert.equal(prefixOf('ffff::ffff'), null);
  });

  it('keeps vendor-data apart from user-data', async () => {
    const meta = await digitalocean.fetch(testEnv((await serve(api.digitaloceanApi({ ...f, vendorData: '#cloud-config\n{}' }))).url));
    assert.equal(meta?.vendorData?.toString(), '#cloud-config\n{}');
    assert.equal(meta.userData?.toString(), f.userData);
  });
});

describe('openstack', () => {
  it('reads the EC2-compatible tree when there is no openstack/ tree', async () => {
    const env = testEnv((await serve(api.ec2Api(f, 'v1-only'))).url);
    assert.equal((await openstack.fetch(env))?.instanceId, 'i-0abc');
    assert.match(env.notes.join('\n'), /EC2-compatible/);
  });
});

describe('azure', () => {
  it('takes custom data from the OVF environment and keys from both', async () => {
    const imds = await serve(api.azureImdsApi({ ...f, sshKeys: ['ssh-rsa AAAAimds imds'] }));
    const env = testEnv({ [azure.endpoint]: imds.url }, 2000, { ovfEnv: () => api.ovfEnv(f) });
    const meta = await azure.fetch(env);
    assert.equal(meta?.userData?.toString(), f.userData);
    assert.deepEqual(meta?.sshKeys, [KEY, 'ssh-rsa AAAAimds imds']);
  });

  it('without a provisioning medium, takes IMDS userData', async () => {
    const imds = await serve(api.azureImdsApi(f, true));
    const env = testEnv({ [azure.endpoint]: imds.url }, 2000, { ovfEnv: () => null });
    assert.equal((await azure.fetch(env))?.userData?.toString(), f.userData);
    assert.match(env.notes.join('\n'), /no provisioning medium/);
  });

  it('reports ready to the wireserver with the goal state\'s incarnation, container and instance', async () => {
    const imds = await serve(api.azureImdsApi(f));
    const wire = await serve(api.wireserverApi());
    const env = testEnv({ [azure.endpoint]: imds.url, [WIRESERVER]: wire.url }, 2000, { ovfEnv: () => api.ovfEnv(f) });
    const meta = await azure.fetch(env);
    assert.ok(meta && azure.ready);
    await azure.ready(env, meta);
    const report = wire.requests.find((r) => r.method === 'POST');
    assert.ok(report, 'no health report');
    assert.match(report.body, /<GoalStateIncarnation>3<\/GoalStateIncarnation>/);
    assert.match(report.body, /<ContainerId>c0ffee00-0000-4000-8000-000000000001<\/ContainerId>/);
    assert.match(report.body, /<InstanceId>role-instance-7<\/InstanceId>[\s\S]*<State>Ready<\/State>/);
  });
});

describe('metaConfig', () => {
  it('makes the hostname, keys and network a cloud-config layer', () => {
    const net = { dns: { nameservers: ['1.1.1.1'] } };
    assert.deepEqual(metaConfig({ instanceId: 'x', hostname: 'Node-1.Example.', sshKeys: [KEY], userData: null, vendorData: null, network: net }), {
      hostname: 'node-1.example', ssh_authorized_keys: [KEY], rancher: { network: net },
    });
    assert.deepEqual(metaConfig({ instanceId: 'x', sshKeys: [], userData: null, vendorData: null }), {});
  });

  it('leaves out a hostname that is not RFC 1123, keeping the rest', () => {
    assert.deepEqual(metaConfig({ instanceId: 'x', hostname: 'my_host', sshKeys: [KEY], userData: null, vendorData: null }), { ssh_authorized_keys: [KEY] });
  });
});

describe('openstack network_data.json', () => {
  const doc = {
    links: [
      { id: 'tap0', type: 'phy', ethernet_mac_address: 'FA:16:3E:00:00:01', mtu: 1450 },
      { id: 'tap1', type: 'phy', ethernet_mac_address: 'fa:16:3e:00:00:02' },
    ],
    networks: [
      { id: 'n0', link: 'tap0', type: 'ipv4', ip_address: '10.0.0.5', netmask: '255.255.255.0', routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }] },
      { id: 'n1', link: 'tap0', type: 'ipv6', ip_address: '2001:db8::5', netmask: 'ffff:ffff:ffff:ffff::', routes: [{ network: '::', netmask: '::', gateway: '2001:db8::1' }] },
      { id: 'n2', link: 'tap1', type: 'ipv4_dhcp' },
    ],
    services: [{ type: 'dns', address: '10.0.0.2' }],
  };

  it('configures static links by MAC and leaves DHCP links to DHCP', () => {
    assert.deepEqual(openStackNetwork(doc), {
      interfaces: {
        'mac=fa:16:3e:00:00:01': { dhcp: false, addresses: ['10.0.0.5/24', '2001:db8::5/64'], gateway: '10.0.0.1', gateway_ipv6: '2001:db8::1', mtu: 1450 },
      },
      dns: { nameservers: ['10.0.0.2'] },
    });
  });

  it('gives nothing when every link uses DHCP, or there is no document', () => {
    assert.equal(openStackNetwork({ links: doc.links, networks: [{ id: 'n', link: 'tap0', type: 'ipv4_dhcp' }] }), undefined);
    assert.equal(openStackNetwork(null), undefined);
  });
});
