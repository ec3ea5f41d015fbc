// User story: the same image on GCE, OpenStack (no config drive), Hetzner,
// Vultr, Exoscale and Alibaba Cloud. Each boot has the cloud's DMI vendor (-smbios) and no
// datasource setting, so auto picks the cloud; its metadata API is emulated on
// the host and reached at its address (169.254.169.254 but on Alibaba)
// through guestfwd. The node comes up
// with the fixture's hostname, the rancher user's key and the user-data's
// write_files and runcmd applied. One RAM boot per cloud.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { sshKeyPair, sshWithKey } from './ssh';
import { startEmulator, type Api, type Emulator } from '../emulators/server';
import { ec2Api, gceApi, hetznerApi, openstackApi, vultrApi, exoscaleApi, type Fixture } from '../emulators/clouds';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const work = mkdtempSync(join(tmpdir(), 'ros-clouds-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = sshKeyPair(work);

const userData = (cloud: string) => `#cloud-config
write_files:
  - path: /var/lib/rancher/e2e/cloud.txt
    content: user-data from ${cloud}
runcmd:
  - echo ${cloud} >> /var/lib/rancher/e2e-runcmd.log
`;

/** The cloud's DMI as QEMU's -smbios type=1 gives it, its emulator, and where it answers when not at 169.254.169.254. */
const CLOUDS: { name: string; smbios: string; api: (f: Fixture) => Api; at?: { net: string; address: string } }[] = [
  { name: 'gce', smbios: 'manufacturer=Google,product=Google Compute Engine', api: (f) => gceApi(f) },
  { name: 'openstack', smbios: 'manufacturer=OpenStack Foundation,product=OpenStack Nova', api: openstackApi },
  { name: 'hetzner', smbios: 'manufacturer=Hetzner,product=vServer', api: hetznerApi },
  { name: 'vultr', smbios: 'manufacturer=Vultr,product=VC2', api: vultrApi },
  { name: 'exoscale', smbios: 'manufacturer=Exoscale,product=Exoscale Compute Platform', api: exoscaleApi },
  // Alibaba serves the EC2 layout, without tokens, at 100.100.100.200.
  {
    name: 'aliyun', smbios: 'manufacturer=Alibaba Cloud,product=Alibaba Cloud ECS', api: (f) => ec2Api(f, 'v1-only'),
    at: { net: '100.100.100.0/24', address: '100.100.100.200' },
  },
];

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

for (const cloud of CLOUDS) {
  describe(`${cloud.name}, chosen by DMI`, () => {
    let vm: Qemu | undefined;
    let emulator: Emulator | undefined;
    after(async () => {
      await vm?.stop();
      await emulator?.close();
    });

    it('takes hostname, key and user-data from the metadata service', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
      const f: Fixture = { instanceId: '7007', hostname: `${cloud.name}-node`, sshKeys: [keys.publicKey], userData: userData(cloud.name) };
      emulator = await startEmulator(cloud.api(f));
      const proxy = `cmd:${process.execPath} ${join(__dirname, 'guestfwd-proxy.mjs')} ${emulator.port}`;
      vm = await Qemu.start({
        name: `metadata-${cloud.name}`,
        nicOptions: `net=${cloud.at?.net ?? '169.254.0.0/16'},restrict=on,guestfwd=tcp:${cloud.at?.address ?? '169.254.169.254'}:80-${proxy}`,
        extraArgs: ['-smbios', `type=1,${cloud.smbios}`],
      });
      await vm.waitFor(new RegExp(`auto: DMI .*trying ${cloud.name}`), BOOT_MS);
      await vm.waitFor(new RegExp(`instance 7007 from ${cloud.name} .*: first boot`), BOOT_MS);
      await vm.milestone('boot-complete', BOOT_MS);
      const r = await vm.run('hostname; ros config get hostname; cat /var/lib/rancher/e2e/cloud.txt; echo; cat /var/lib/rancher/e2e-runcmd.log', CMD_MS);
      assert.deepEqual(lines(r.output), [f.hostname, f.hostname, `user-data from ${cloud.name}`, cloud.name], r.output);
      const ssh = await sshWithKey(vm.sshPort, keys.privateKey, 'rancher', 'id -un');
      assert.equal(ssh.code, 0, `ssh as rancher with the metadata's key failed: ${ssh.stderr}`);
      assert.equal(ssh.stdout.trim(), 'rancher');
    });
  });
}
