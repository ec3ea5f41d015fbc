import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLOUD_NAMES } from '../../../src/config/datasource-spec';
import { CLOUDS, detectClouds } from '../../../src/datasources/registry';
import { readDmi } from '../../../src/sys/dmi';

describe('cloud registry', () => {
  it('has a module for every name validation accepts, under that name', () => {
    assert.deepEqual(Object.keys(CLOUDS), [...CLOUD_NAMES]);
    for (const [name, ds] of Object.entries(CLOUDS)) assert.equal(ds.name, name);
  });
});

describe('detectClouds', () => {
  // DMI strings as each cloud's VMs show them.
  const cases: [string, Parameters<typeof detectClouds>[0], string[]][] = [
    ['EC2 Nitro', { sys_vendor: 'Amazon EC2', product_name: 'm5.large', bios_vendor: 'Amazon EC2' }, ['ec2']],
    ['EC2 Xen', { sys_vendor: 'Xen', product_uuid: 'EC2E1916-9099-7CAF-FD21-012345ABCDEF', bios_version: '4.11.amazon' }, ['ec2']],
    ['GCE', { sys_vendor: 'Google', product_name: 'Google Compute Engine', bios_vendor: 'Google' }, ['gce']],
    ['DigitalOcean', { sys_vendor: 'DigitalOcean', product_name: 'Droplet' }, ['digitalocean']],
    ['OpenStack', { sys_vendor: 'OpenStack Foundation', product_name: 'OpenStack Nova' }, ['openstack']],
    ['Azure', { sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine', chassis_asset_tag: '7783-7084-3265-9085-8269-3286-77' }, ['azure']],
    ['Hetzner', { sys_vendor: 'Hetzner', product_name: 'vServer' }, ['hetzner']],
    ['Vultr', { sys_vendor: 'Vultr', product_name: 'VC2' }, ['vultr']],
    ['Exoscale', { sys_vendor: 'Exoscale', product_name: 'Exoscale Compute Platform' }, ['exoscale']],
    ['Alibaba', { sys_vendor: 'Alibaba Cloud', product_name: 'Alibaba Cloud ECS' }, ['aliyun']],
    ['QEMU', { sys_vendor: 'QEMU', product_name: 'Standard PC (i440FX + PIIX, 1996)', bios_vendor: 'SeaBIOS' }, []],
    ['Hyper-V without the Azure tag', { sys_vendor: 'Microsoft Corporation', product_name: 'Virtual Machine' }, []],
    ['no DMI', {}, []],
  ];
  for (const [what, dmi, expected] of cases) {
    it(`${what} → ${expected.join(', ') || 'none'}`, () => assert.deepEqual(detectClouds(dmi), expected));
  }
});

describe('readDmi', () => {
  it('reads the fields present, trimmed, and skips missing or empty ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmi-'));
    writeFileSync(join(dir, 'sys_vendor'), 'DigitalOcean\n');
    writeFileSync(join(dir, 'product_name'), '\n');
    assert.deepEqual(readDmi(dir), { sys_vendor: 'DigitalOcean' });
  });
});
