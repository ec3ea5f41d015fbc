// User story: ros on DigitalOcean, and on a cloud whose metadata service is
// gone. With no datasource setting (auto), the machine's DMI vendor picks the
// datasource: QEMU is told to say "DigitalOcean" (-smbios), and an emulator on
// the host answers at 169.254.169.254 through guestfwd. The droplet's static
// address and resolvers land on eth0. Then "Amazon EC2" with no service at
// all: the datasource stage gives up within its deadline and the boot goes on.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { sshKeyPair, sshWithKey } from './ssh';
import { startEmulator, type Emulator } from '../emulators/server';
import { digitaloceanApi, type DoNetwork } from '../emulators/clouds';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const MAC = '52:54:00:12:34:56';
const work = mkdtempSync(join(tmpdir(), 'ros-do-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = sshKeyPair(work);

const NET: DoNetwork = {
  mac: MAC, ipv4: '203.0.113.10', netmask: '255.255.240.0', gateway: '203.0.113.1',
  ipv6: '2001:DB8::10', cidr: 64, gateway6: '2001:DB8::1', nameservers: ['198.51.100.53', '198.51.100.54'],
};
const USER_DATA = `#cloud-config
write_files:
  - path: /var/lib/rancher/e2e/from-do.txt
    content: droplet user-data
runcmd:
  - echo ran >> /var/lib/rancher/e2e-do-runcmd.log
`;

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);
const stageMs = async (vm: Qemu) => Number((await vm.waitForInLog(/stage datasource \(\d+\/\d+\): [^\n]* in (\d+) ms/, 1000))[1]);

let emulator: Emulator | undefined;
after(() => emulator?.close());

describe('digitalocean, chosen by DMI', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('takes hostname, key, user-data, static addresses and DNS from /metadata/v1.json', { timeout: BOOT_MS + 5 * CMD_MS }, async (t) => {
    emulator = await startEmulator(digitaloceanApi({ instanceId: '424242', hostname: 'droplet-1', sshKeys: [keys.publicKey], userData: USER_DATA }, NET));
    const proxy = `cmd:${process.execPath} ${join(__dirname, 'guestfwd-proxy.mjs')} ${emulator.port}`;
    vm = await Qemu.start({
      name: 'metadata-digitalocean',
      nicOptions: `mac=${MAC},net=169.254.0.0/16,restrict=on,guestfwd=tcp:169.254.169.254:80-${proxy}`,
      extraArgs: ['-smbios', 'type=1,manufacturer=DigitalOcean,product=Droplet'],
    });
    await vm.waitFor(/auto: DMI "DigitalOcean" .*trying digitalocean/, BOOT_MS);
    await vm.waitFor(/instance 424242 from digitalocean .*: first boot/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    t.diagnostic(`datasource stage (auto → digitalocean): ${await stageMs(vm)} ms`);
    const host = await vm.run('hostname; ros config get hostname; cat /var/lib/rancher/e2e/from-do.txt; echo; cat /var/lib/rancher/e2e-do-runcmd.log', CMD_MS);
    assert.deepEqual(lines(host.output), ['droplet-1', 'droplet-1', 'droplet user-data', 'ran'], host.output);
    const addr = await vm.run('ip addr show dev eth0; ip route; ip -6 route; cat /etc/resolv.conf', CMD_MS);
    assert.match(addr.output, /inet 203\.0\.113\.10\/20 /, addr.output);
    assert.match(addr.output, /inet6 2001:db8::10\/64 /, addr.output);
    assert.match(addr.output, /default via 203\.0\.113\.1 dev eth0/, addr.output);
    assert.match(addr.output, /default via 2001:db8::1 dev eth0/, addr.output);
    assert.match(addr.output, /nameserver 198\.51\.100\.53\s+nameserver 198\.51\.100\.54/, addr.output);
    const net = await vm.run('ros config get rancher.network', CMD_MS);
    assert.match(net.output, new RegExp(`mac=${MAC}`), net.output);
    const r = await sshWithKey(vm.sshPort, keys.privateKey, 'rancher', 'id -un');
    assert.equal(r.code, 0, `ssh as rancher with the droplet's key failed: ${r.stderr}`);
    assert.equal(r.stdout.trim(), 'rancher');
  });
});

describe('auto on EC2 hardware with no metadata service at all', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('costs the datasource stage seconds, not minutes, and the boot completes', { timeout: BOOT_MS + CMD_MS }, async (t) => {
    vm = await Qemu.start({
      name: 'metadata-none',
      nicOptions: 'net=169.254.0.0/16,restrict=on',
      extraArgs: ['-smbios', 'type=1,manufacturer=Amazon EC2,product=m5.large'],
    });
    await vm.waitFor(/auto: DMI "Amazon EC2" .*trying ec2/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    const ms = await stageMs(vm);
    t.diagnostic(`datasource stage with no metadata service: ${ms} ms`);
    assert.ok(ms < 8_000, `the datasource stage took ${ms} ms`);
    await vm.waitForInLog(/datasource ec2: .*gave up after/, 1000);
  });
});

describe('a droplet without DHCP', () => {
  let vm: Qemu | undefined;
  let noDhcp: Emulator | undefined;
  after(async () => {
    await vm?.stop();
    await noDhcp?.close();
  });

  it('reaches 169.254.169.254 through a link-local address of its own, then takes the static network', { timeout: BOOT_MS + 2 * CMD_MS }, async () => {
    noDhcp = await startEmulator(digitaloceanApi({ instanceId: '434343', hostname: 'droplet-2', sshKeys: [keys.publicKey], userData: USER_DATA }, NET));
    const proxy = `cmd:${process.execPath} ${join(__dirname, 'guestfwd-proxy.mjs')} ${noDhcp.port}`;
    vm = await Qemu.start({
      name: 'metadata-no-dhcp',
      // As on a droplet: no DHCP client on eth0, so it has no address when the datasource runs.
      cmdline: 'rancher.network.interfaces.eth0.dhcp=false',
      nicOptions: `mac=${MAC},net=169.254.0.0/16,restrict=on,guestfwd=tcp:169.254.169.254:80-${proxy}`,
      extraArgs: ['-smbios', 'type=1,manufacturer=DigitalOcean,product=Droplet'],
    });
    await vm.waitFor(/datasource: no route to 169\.254\.169\.254: ip link set eth0 up; ip addr add 169\.254\.\d+\.\d+\/16 dev eth0 scope link/, BOOT_MS);
    await vm.waitFor(/instance 434343 from digitalocean .*: first boot/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    const r = await vm.run('hostname; ip -4 addr show dev eth0', CMD_MS);
    assert.equal(lines(r.output)[0], 'droplet-2', r.output);
    assert.match(r.output, /inet 203\.0\.113\.10\/20 /, r.output);
    assert.doesNotMatch(r.output, /inet 169\.254\./, 'the temporary link-local address was left behind');
  });
});
