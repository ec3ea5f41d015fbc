// User story: ros on EC2. With no config drive, the node takes its hostname,
// the rancher user's key and its user-data from the instance metadata service
// at 169.254.169.254 — here an emulator on the host, reached through QEMU's
// guestfwd, so nothing leaves the machine. IMDSv2 is used (the emulator
// refuses tokenless requests); a disk cloned onto a new instance (a new
// instance-id, an IMDSv1-only service that fails its first 3 requests) runs
// the per-instance modules again.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { blankDisk } from './disk';
import { sshKeyPair, sshWithKey } from './ssh';
import { startEmulator, type Api, type Emulator } from '../emulators/server';
import { EC2_TOKEN, ec2Api, type Fixture } from '../emulators/clouds';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const work = mkdtempSync(join(tmpdir(), 'ros-ec2-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = sshKeyPair(work);

const USER_DATA = `#cloud-config
write_files:
  - path: /var/lib/rancher/e2e/from-imds.txt
    content: user-data from the metadata service
runcmd:
  - echo ran >> /var/lib/rancher/e2e-ec2-runcmd.log
`;

const first: Fixture = { instanceId: 'i-0e2e000000000001', hostname: 'ec2-node', sshKeys: [keys.publicKey], userData: USER_DATA };
const second: Fixture = { ...first, instanceId: 'i-0e2e000000000002', hostname: 'ec2-clone' };

/** The emulator behind guestfwd; what it serves can change between boots of the same VM. */
let api: Api = ec2Api(first, 'v2-required');
let failNext = 0;
let emulator: Emulator | undefined;
after(() => emulator?.close());

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

async function count(vm: Qemu, file: string): Promise<number> {
  const r = await vm.run(`cat ${file} 2>/dev/null | wc -l`, CMD_MS);
  return Number(lines(r.output).pop());
}

async function expectInstance(vm: Qemu, f: Fixture): Promise<void> {
  const host = await vm.run('hostname; ros config get hostname; cat /var/lib/rancher/e2e/from-imds.txt', CMD_MS);
  assert.deepEqual(lines(host.output), [f.hostname, f.hostname, 'user-data from the metadata service'], host.output);
  const r = await sshWithKey(vm.sshPort, keys.privateKey, 'rancher', 'id -un; cat ~/.ssh/authorized_keys');
  assert.equal(r.code, 0, `ssh as rancher with the metadata's key failed: ${r.stderr}`);
  assert.deepEqual(r.stdout.split('\n').filter(Boolean), ['rancher', keys.publicKey]);
}

/** "stage datasource (7/14): done in 412 ms" → 412 */
async function datasourceStageMs(vm: Qemu): Promise<number> {
  const m = await vm.waitForInLog(/stage datasource \(\d+\/\d+\): \S+(?: \S+)? in (\d+) ms/, 1000);
  return Number(m[1]);
}

describe('ec2 metadata service through guestfwd', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('first boot: hostname, key and user-data from IMDSv2; per-instance modules run', { timeout: BOOT_MS + 5 * CMD_MS }, async (t) => {
    emulator = await startEmulator((r) => {
      if (failNext === 0) return api(r);
      failNext--;
      return { status: 503, body: 'starting' };
    });
    const proxy = `cmd:${process.execPath} ${join(__dirname, 'guestfwd-proxy.mjs')} ${emulator.port}`;
    vm = await Qemu.start({
      name: 'metadata-ec2',
      disks: [blankDisk(join(work, 'state.img'))],
      noReboot: false,
      cmdline: 'rancher.state.autoformat=[/dev/vda] rancher.cloud_init.datasources=[ec2]',
      // restrict=on: the guest reaches the host's forwards and nothing else.
      nicOptions: `net=169.254.0.0/16,restrict=on,guestfwd=tcp:169.254.169.254:80-${proxy}`,
    });
    await vm.waitFor(/instance i-0e2e000000000001 from ec2 .*: first boot/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    await expectInstance(vm, first);
    assert.equal(await count(vm, '/var/lib/rancher/e2e-ec2-runcmd.log'), 1);
    const gets = emulator.requests.filter((r) => r.method === 'GET');
    assert.equal(emulator.requests[0]?.method, 'PUT', 'no IMDSv2 token was asked for first');
    assert.ok(gets.length >= 4 && gets.every((r) => r.headers['x-aws-ec2-metadata-token'] === EC2_TOKEN), 'a GET went without the token');
    t.diagnostic(`datasource stage (ec2, IMDSv2): ${await datasourceStageMs(vm)} ms`);
  });

  it('the disk on a new instance (IMDSv1 only, first 3 requests failing): per-instance modules run again', { timeout: 2 * BOOT_MS + 5 * CMD_MS }, async () => {
    assert.ok(vm && emulator, 'first boot did not start');
    api = ec2Api(second, 'v1-only');
    const seen = emulator.requests.length;
    vm.sendLine('reboot');
    await vm.milestone('init-start', BOOT_MS);
    failNext = 3;
    await vm.waitFor(/using IMDSv1/, BOOT_MS);
    await vm.waitFor(/instance i-0e2e000000000002 from ec2 .*: first boot/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    await expectInstance(vm, second);
    assert.equal(await count(vm, '/var/lib/rancher/e2e-ec2-runcmd.log'), 2, 'runcmd did not run for the new instance-id');
    const statuses = emulator.requests.slice(seen);
    assert.ok(statuses.length > 3, 'the emulator saw too few requests');
  });
});
