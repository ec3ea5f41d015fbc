// Every cloud datasource against its emulator: a full fixture, a partial one
// (no keys, no user-data), and no service at all (a refused connection must
// fail fast, well inside the deadline).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CloudDatasource, FetchEnv } from '../../../src/datasources/cloud-datasource';
import { CLOUDS } from '../../../src/datasources/registry';
import { Unreachable } from '../../../src/datasources/http';
import type { CloudName } from '../../../src/config/datasource-spec';
import { closedPort, startEmulator, type Api, type Emulator } from '../../emulators/server';
import * as api from '../../emulators/clouds';
import { testEnv } from './env';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests0000000000000000000000000 e2e@test';
const USER_DATA = '#cloud-config\nwrite_files:\n  - path: /tmp/x\n    content: hi\n';
const full: api.Fixture = { instanceId: '4242', hostname: 'node-1', sshKeys: [KEY], userData: USER_DATA };
const partial: api.Fixture = { instanceId: '4242', hostname: 'node-1' };

const started: Emulator[] = [];
after(() => Promise.all(started.map((e) => e.close())));
async function serve(a: Api): Promise<string> {
  const e = await startEmulator(a);
  started.push(e);
  return e.url;
}

/** How each cloud's emulator serves a fixture, and any extra the env needs (Azure's OVF). */
const CASES: Record<CloudName, { api: (f: api.Fixture) => Api; env?: (f: api.Fixture) => Partial<FetchEnv> }> = {
  ec2: { api: (f) => api.ec2Api(f) },
  gce: { api: (f) => api.gceApi(f) },
  digitalocean: { api: (f) => api.digitaloceanApi(f) },
  openstack: { api: (f) => api.openstackApi(f) },
  azure: { api: (f) => api.azureImdsApi(f), env: (f) => ({ ovfEnv: () => api.ovfEnv(f) }) },
  hetzner: { api: (f) => api.hetznerApi(f) },
  vultr: { api: (f) => api.vultrApi(f) },
  exoscale: { api: (f) => api.exoscaleApi(f) },
  aliyun: { api: (f) => api.ec2Api(f, 'v1-only') },
  packet: { api: (f) => api.packetApi(f) },
};

for (const [name, c] of Object.entries(CASES) as [CloudName, (typeof CASES)[CloudName]][]) {
  const ds: CloudDatasource = CLOUDS[name];
  describe(`${name} datasource`, () => {
    it('reads instance-id, hostname, ssh key and user-data', async () => {
      const meta = await ds.fetch(testEnv(await serve(c.api(full)), 2000, c.env?.(full)));
      assert.equal(meta?.instanceId, '4242');
      assert.equal(meta.hostname, 'node-1');
      assert.deepEqual(meta.sshKeys, [KEY]);
      assert.equal(meta.userData?.toString(), USER_DATA);
    });

    it('takes an instance without keys or user-data', async () => {
      const meta = await ds.fetch(testEnv(await serve(c.api(partial)), 2000, c.env?.(partial)));
      assert.equal(meta?.instanceId, '4242');
      assert.equal(meta.hostname, 'node-1');
      assert.deepEqual(meta.sshKeys, []);
      assert.equal(meta.userData, null);
    });

    it('fails fast, saying so, when no service answers', async () => {
      const t0 = Date.now();
      await assert.rejects(ds.fetch(testEnv(await closedPort(), 3000, c.env?.(partial))), Unreachable);
      assert.ok(Date.now() - t0 < 2800, `took ${Date.now() - t0} ms`); // before the 3 s deadline
    });

    it('is not fooled by another cloud\'s service (null or an error, never metadata)', async () => {
      const other = ['ec2', 'aliyun', 'openstack'].includes(name) ? api.gceApi(full) : api.ec2Api(full, 'v1-only');
      const meta = await ds.fetch(testEnv(await serve(other), 2000, c.env?.(full))).catch(() => null);
      assert.equal(meta, null);
    });
  });
}
