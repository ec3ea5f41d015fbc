// User story: ros on Azure. The VM's DMI carries Azure's chassis asset tag,
// so auto picks azure; IMDS answers at 169.254.169.254 (first NIC), the
// custom data and keys come from the OVF environment on the provisioning
// disc, and the wireserver at 168.63.129.16 (a second user network, since
// guestfwd serves only addresses inside its own) must hear "ready".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { makeIso } from './iso';
import { sshKeyPair, sshWithKey } from './ssh';
import { startEmulator, type Emulator } from '../emulators/server';
import { azureImdsApi, ovfEnv, wireserverApi, type Fixture } from '../emulators/clouds';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';
const work = mkdtempSync(join(tmpdir(), 'ros-azure-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = sshKeyPair(work);

const fixture: Fixture = {
  instanceId: '5f1e2d3c-0000-4000-8000-00000000a2e0',
  hostname: 'azure-node',
  sshKeys: [keys.publicKey],
  userData: '#cloud-config\nwrite_files:\n  - path: /var/lib/rancher/e2e/azure.txt\n    content: custom data from the OVF\nruncmd:\n  - echo ran >> /var/lib/rancher/e2e-azure-runcmd.log\n',
};

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);
const proxy = (port: number) => `cmd:${process.execPath} ${join(__dirname, 'guestfwd-proxy.mjs')} ${port}`;

describe('azure, chosen by its chassis asset tag', () => {
  let vm: Qemu | undefined;
  let imds: Emulator | undefined;
  let wire: Emulator | undefined;
  after(async () => {
    await vm?.stop();
    await imds?.close();
    await wire?.close();
  });

  it('takes the OVF custom data and keys, the IMDS vm id, and reports ready to the wireserver', { timeout: BOOT_MS + 4 * CMD_MS }, async () => {
    // IMDS has no key of its own here: the one that logs in must come from the OVF.
    imds = await startEmulator(azureImdsApi({ ...fixture, sshKeys: [] }));
    wire = await startEmulator(wireserverApi());
    vm = await Qemu.start({
      name: 'metadata-azure',
      iso: makeIso(work, 'provisioning', 'rd_rdfe_stable', { 'ovf-env.xml': ovfEnv(fixture) }),
      nicOptions: `net=169.254.0.0/16,restrict=on,guestfwd=tcp:169.254.169.254:80-${proxy(imds.port)}`,
      extraArgs: [
        '-nic', `user,model=virtio-net-pci,net=168.63.129.0/24,restrict=on,guestfwd=tcp:168.63.129.16:80-${proxy(wire.port)}`,
        '-smbios', 'type=1,manufacturer=Microsoft Corporation,product=Virtual Machine',
        '-smbios', `type=3,manufacturer=Microsoft Corporation,asset=${AZURE_ASSET_TAG}`,
      ],
    });
    await vm.waitFor(/auto: DMI .*trying azure/, BOOT_MS);
    await vm.waitFor(new RegExp(`instance ${fixture.instanceId} from azure .*: first boot`), BOOT_MS);
    await vm.waitFor(/azure: reported ready \(incarnation 3\)/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    const r = await vm.run('hostname; ros config get hostname; cat /var/lib/rancher/e2e/azure.txt; echo; cat /var/lib/rancher/e2e-azure-runcmd.log', CMD_MS);
    assert.deepEqual(lines(r.output), ['azure-node', 'azure-node', 'custom data from the OVF', 'ran'], r.output);
    const ssh = await sshWithKey(vm.sshPort, keys.privateKey, 'rancher', 'id -un');
    assert.equal(ssh.code, 0, `ssh as rancher with the OVF's key failed: ${ssh.stderr}`);
    const report = wire.requests.find((q) => q.method === 'POST');
    assert.ok(report, 'the wireserver heard no health report');
    assert.match(report.body, /<InstanceId>role-instance-7<\/InstanceId>[\s\S]*<State>Ready<\/State>/);
    assert.ok(imds.requests.every((q) => q.headers.metadata === 'true'), 'an IMDS request went without Metadata: true');
  });
});
