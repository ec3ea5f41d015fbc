// User story: a RancherOS cloud-config on a config-drive or NoCloud ISO just works, runs
// its per-instance parts once (not on every boot, unlike RancherOS), and a bad one costs
// nothing but a clear list of errors. Init-only cmdline words stay out of /proc/cmdline.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { makeIso } from './iso';
import { hostKey, sshKeyPair, sshWithKey, sshWithPassword } from './ssh';

const BOOT_MS = 300_000;
const CMD_MS = 120_000;
const work = mkdtempSync(join(tmpdir(), 'ros-cc-'));
after(() => rmSync(work, { recursive: true, force: true }));
const keys = sshKeyPair(work);
const KEY = keys.publicKey;

const USER_DATA = `#cloud-config
hostname: cc-host
ssh_authorized_keys:
  - ${KEY}
write_files:
  - path: /var/lib/rancher/e2e/plain.txt
    content: plain text
  - path: /var/lib/rancher/e2e/encoded.sh
    encoding: b64
    content: ${Buffer.from('#!/bin/sh\necho decoded\n').toString('base64')}
    permissions: "0750"
bootcmd:
  - echo "boot $(pidof dockerd containerd || echo none)" >> /var/lib/rancher/e2e-bootcmd.log
runcmd:
  - echo ran >> /var/lib/rancher/e2e-runcmd.log
rancher:
  network:
    http_proxy: http://proxy.e2e:3128
    no_proxy: localhost,registry.e2e
  docker:
    insecure_registry: [registry.e2e:5000]
    log_opts:
      max-size: 10m
`;

const iso = (name: string, label: string, files: Record<string, string>) => makeIso(work, name, label, files);

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

async function expectApplied(vm: Qemu): Promise<void> {
  const host = await vm.run('hostname; ros config get hostname', CMD_MS);
  assert.deepEqual(lines(host.output), ['cc-host', 'cc-host'], host.output);
  const files = await vm.run('cat /var/lib/rancher/e2e/plain.txt; echo; stat -c %a /var/lib/rancher/e2e/encoded.sh; /var/lib/rancher/e2e/encoded.sh', CMD_MS);
  assert.deepEqual(lines(files.output), ['plain text', '750', 'decoded'], files.output);
  const keys = await vm.run('cat /home/rancher/.ssh/authorized_keys; stat -c %u /home/rancher/.ssh/authorized_keys', CMD_MS);
  assert.deepEqual(lines(keys.output), [KEY, '1100'], keys.output);
  // rancher.docker reaches the user dockerd's flags.
  const info = await vm.run(`docker info --format '{{json .RegistryConfig.IndexConfigs}}'; docker inspect -f '{{json .HostConfig.LogConfig.Config}}' $(docker create busybox true)`, CMD_MS);
  assert.match(info.output, /"registry\.e2e:5000":\{[^}]*"Secure":false/, info.output);
  assert.match(info.output, /\{"max-size":"10m"\}/, info.output);
  // rancher.network proxies reach both daemons.
  const proxies = await vm.run(`docker info --format '{{.HTTPProxy}} {{.NoProxy}}'; system-docker info --format '{{.HTTPProxy}}'`, CMD_MS);
  assert.deepEqual(lines(proxies.output), ['http://proxy.e2e:3128 localhost,registry.e2e', 'http://proxy.e2e:3128'], proxies.output);
}

/** ssh in as rancher with the key from the cloud-config: who am I, does the user Docker answer, does sudo work? */
async function expectSsh(vm: Qemu): Promise<void> {
  const r = await sshWithKey(vm.sshPort, keys.privateKey, 'rancher', 'id -un; docker version --format "{{.Server.Version}}"; sudo -n ros config get hostname');
  assert.equal(r.code, 0, `ssh as rancher failed: ${r.stderr}`);
  const out = r.stdout.split('\n').filter(Boolean);
  assert.equal(out[0], 'rancher', r.stdout);
  assert.match(out[1] ?? '', /^\d+\.\d+/, r.stdout);
  assert.equal(out[2], 'cc-host', r.stdout);
  assert.equal(r.stderr, '', 'ssh or sudo complained');
}

/** bootcmd ran before any dockerd, as documented (docs/cloud-config.md), on every boot. */
async function expectBootcmdBeforeSystemDocker(vm: Qemu): Promise<void> {
  const r = await vm.run('cat /var/lib/rancher/e2e-bootcmd.log', CMD_MS);
  assert.ok(lines(r.output).every((l) => l === 'boot none'), r.output);
}

async function count(vm: Qemu, file: string): Promise<number> {
  const r = await vm.run(`cat ${file} 2>/dev/null | wc -l`, CMD_MS);
  return Number(lines(r.output).pop());
}

describe('config-drive: applied on the first boot, per-instance parts only once', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });
  const disk = join(work, 'state.img');
  writeFileSync(disk, '');
  truncateSync(disk, 2 * 1024 ** 3);
  const configDrive = iso('configdrive', 'config-2', {
    'openstack/latest/user_data': USER_DATA,
    'openstack/latest/meta_data.json': JSON.stringify({ uuid: 'e2e-instance-1' }),
  });

  let firstHostKey = '';

  it('applies hostname, write_files, ssh keys, runcmd and bootcmd; ssh logs in with the key', { timeout: BOOT_MS + 5 * CMD_MS }, async () => {
    vm = await Qemu.start({ name: 'configdrive', disks: [disk], iso: configDrive, noReboot: false, cmdline: 'rancher.state.autoformat=[/dev/vda]' });
    await vm.milestone('boot-complete', BOOT_MS);
    await expectApplied(vm);
    await expectSsh(vm);
    firstHostKey = hostKey(vm.sshPort);
    assert.equal(await count(vm, '/var/lib/rancher/e2e-runcmd.log'), 1);
    assert.equal(await count(vm, '/var/lib/rancher/e2e-bootcmd.log'), 1);
    await expectBootcmdBeforeSystemDocker(vm);
  });

  it('on the next boot runs bootcmd again but not runcmd; the ssh host key is the same', { timeout: 2 * BOOT_MS + CMD_MS }, async () => {
    assert.ok(vm, 'first boot did not start');
    vm.sendLine('reboot');
    await vm.milestone('init-start', BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    await expectApplied(vm);
    await expectSsh(vm);
    assert.equal(hostKey(vm.sshPort), firstHostKey, 'the host key changed across a reboot');
    assert.equal(await count(vm, '/var/lib/rancher/e2e-runcmd.log'), 1, 'runcmd ran again on the second boot');
    assert.equal(await count(vm, '/var/lib/rancher/e2e-bootcmd.log'), 2, 'bootcmd did not run on the second boot');
    await expectBootcmdBeforeSystemDocker(vm);
  });
});

describe('NoCloud (cidata) ISO', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('applies the same cloud-config, and says a RAM boot is a first boot', { timeout: BOOT_MS + 3 * CMD_MS }, async () => {
    // RancherOS' rancher.ssh.keys: the machine keeps the host key it is given.
    const host = sshKeyPair(work, 'host_ed25519');
    const indented = readFileSync(host.privateKey, 'utf8').trimEnd().split('\n').map((l) => `        ${l}`).join('\n');
    const userData = USER_DATA.replace('\nrancher:\n', `\nrancher:\n  ssh:\n    keys:\n      ed25519: |\n${indented}\n      ed25519-pub: ${host.publicKey}\n`);
    const cidata = iso('nocloud', 'cidata', { 'user-data': userData, 'meta-data': 'instance-id: e2e-nocloud-1\n' });
    vm = await Qemu.start({ name: 'nocloud', iso: cidata });
    await vm.waitFor(/instance e2e-nocloud-1 from nocloud .*: first boot \(no persistent state: every boot is a first boot\)/, BOOT_MS);
    await vm.milestone('boot-complete', BOOT_MS);
    await expectApplied(vm);
    assert.equal(await count(vm, '/var/lib/rancher/e2e-runcmd.log'), 1);
    assert.equal(hostKey(vm.sshPort), host.publicKey.split(' ').slice(0, 2).join(' '), 'sshd does not use the host key of rancher.ssh.keys');
  });
});

describe('an invalid cloud-config and init-only cmdline words', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
  });

  it('boots, lists every error with its line, keeps the config in force; hides words after --', { timeout: BOOT_MS + 3 * CMD_MS }, async () => {
    const bad = iso('invalid', 'config-2', {
      'openstack/latest/user_data': '#cloud-config\nhostname: bad-host\nhostnme: typo\nwrite_files:\n  - path: /tmp/x\n    permissions: "999"\n',
      'openstack/latest/meta_data.json': JSON.stringify({ uuid: 'e2e-invalid' }),
    });
    vm = await Qemu.start({ name: 'invalid', iso: bad, cmdline: 'rancher.password=two -- cc.hostname=nope' });
    await vm.waitFor(/user-data:3:1: hostnme: .*did you mean hostname/, BOOT_MS);
    await vm.waitFor(/user-data:6:\d+: write_files\.0\.permissions/, 10_000);
    await vm.waitFor(/has 2 error\(s\); not applied, the config in force stays/, 10_000);
    await vm.milestone('boot-complete', BOOT_MS);
    const r = await vm.run('hostname; cat /proc/cmdline', CMD_MS);
    const out = lines(r.output);
    assert.equal(out[0], 'nope', r.output);
    assert.match(out[1] ?? '', /rancher\.password=two/, r.output);
    assert.doesNotMatch(r.output, /cc\.hostname=nope/);
    const get = await vm.run('ros config get hostname', CMD_MS);
    assert.ok(lines(get.output).includes('nope'), get.output);
    // rancher.password also lets rancher in over ssh; root never logs in over ssh.
    const ok = await sshWithPassword(work, vm.sshPort, 'rancher', 'two', 'id -un');
    assert.equal(ok.code, 0, `ssh with rancher.password failed: ${ok.stderr}`);
    assert.equal(ok.stdout.trim(), 'rancher');
    const wrong = await sshWithPassword(work, vm.sshPort, 'rancher', 'three', 'id -un');
    assert.notEqual(wrong.code, 0, 'a wrong password logged in');
    const root = await sshWithPassword(work, vm.sshPort, 'root', 'two', 'id -un');
    assert.notEqual(root.code, 0, 'root logged in over ssh');
  });
});
