// User story: a RancherOS user brings their cloud-config and service files
// unchanged. One boot from a config drive on FAT (as RancherOS' tests made it) whose user-data mixes keys ros
// implements with RancherOS keys it only accepts (each named on the console),
// uses YAML 1.1 (`permissions: 0755`), writes the console's rc.local with
// `container: console`, start.sh and cloud-config-script — then a service file in
// RancherOS' form is enabled and brought up, and the user Docker is served over TLS.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { configDriveFat } from './iso';
import { sshKeyPair } from './ssh';

const BOOT_MS = 300_000;
const CMD_MS = 180_000;
const work = mkdtempSync(join(tmpdir(), 'ros-compat-'));
const KEY = sshKeyPair(work).publicKey;

const hook = (name: string) => `#!/bin/sh\n      echo ${name} >> /var/log/e2e-hooks.log`;
const USER_DATA = `#cloud-config
hostname: compat-node
ssh_authorized_keys:
  - ${KEY}
write_files:
  - path: /etc/rc.local
    container: console
    permissions: 0755
    content: |
      ${hook('rc.local')}
      wait-for-docker
      docker run -d --name from-rc-local busybox sleep 600
  - path: /opt/rancher/bin/start.sh
    permissions: 0755
    content: |
      ${hook('start.sh')}
  - path: /var/lib/rancher/conf/cloud-config-script
    permissions: 0755
    content: |
      ${hook('cloud-config-script')}
rancher:
  log: true
  restart_services: [syslog]
  services_include:
    syslog: true
  docker:
    engine: docker-24.0.7
  environment:
    AWS_REGION: eu-west-1
  network:
    interfaces:
      eth0:
        dhcp: true
        wifi_network: home
`;

// RancherOS' form: variables in the image, the standard volume container, boot stages as dependencies.
const SERVICE = `---
compat:
  image: \${REGISTRY_DOMAIN}/library/busybox\${SUFFIX}
  command: sh -c 'cat /home/rancher/compat-probe; echo region=$$AWS_REGION; exec sleep 600'
  privileged: "false"
  environment:
    - AWS_*
  volumes_from:
    - all-volumes
  labels:
    io.rancher.os.scope: user
    io.rancher.os.after: network, udev
`;

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

describe('a RancherOS cloud-config and service file, unchanged', () => {
  let vm: Qemu | undefined;
  after(async () => {
    await vm?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const machine = () => {
    assert.ok(vm, 'the VM did not start');
    return vm;
  };

  it('boots with the hostname and the key applied, each ignored RancherOS key named on the console, restart_services done', { timeout: BOOT_MS + CMD_MS }, async () => {
    vm = await Qemu.start({ name: 'compat', disks: [configDriveFat(work, 'compat', USER_DATA, 'e2e-compat')] });
    await vm.milestone('boot-complete', BOOT_MS);
    await vm.waitForShell();
    for (const key of ['rancher.log', 'rancher.docker.engine', 'rancher.network.interfaces.eth0.wifi_network']) {
      await vm.waitForInLog(new RegExp(`${key.replace(/\./g, '\\.')}: RancherOS key not supported by ros`), 1000);
    }
    await vm.waitForInLog(/restart_services: syslog restarted/, 1000);
    const r = await vm.run('hostname; grep -c "e2e-compat\\|ssh-" /home/rancher/.ssh/authorized_keys', CMD_MS);
    assert.deepEqual(lines(r.output), ['compat-node', '1'], r.output);
  });

  it('runs cloud-config-script, start.sh and the console\'s rc.local, in that order; rc.local waited for Docker', { timeout: CMD_MS }, async () => {
    const vm = machine();
    let out = '';
    for (let i = 0; i < 60 && !/rc\.local/.test(out); i++) out = (await vm.run('cat /var/log/e2e-hooks.log 2>/dev/null; sleep 2', CMD_MS)).output;
    assert.deepEqual(lines(out), ['cloud-config-script', 'start.sh', 'rc.local'], out);
    let ps = '';
    for (let i = 0; i < 30 && !/from-rc-local running/.test(ps); i++) ps = (await vm.run(`docker ps --format '{{.Names}} {{.State}}'; sleep 2`, CMD_MS)).output;
    assert.match(ps, /from-rc-local running/, ps);
    const mode = await vm.run('stat -c %a /etc/rc.local', CMD_MS);
    assert.deepEqual(lines(mode.output), ['755'], 'permissions: 0755 (YAML 1.1 octal) in the console');
  });

  it('enables and brings up a service file in RancherOS\' form', { timeout: 2 * CMD_MS }, async () => {
    const vm = machine();
    const file = '/var/lib/rancher/conf/compat.yml';
    const r = await vm.run(`echo probe-from-home > /home/rancher/compat-probe && cat > ${file} <<'EOF'\n${SERVICE}EOF\nros service enable ${file} && ros service up compat && sleep 3 && docker logs compat && docker inspect -f '{{.Config.Image}}' compat`, 2 * CMD_MS);
    const out = lines(r.output);
    assert.ok(out.includes('probe-from-home'), r.output);
    assert.ok(out.includes('region=eu-west-1'), r.output);
    assert.ok(out.includes('docker.io/library/busybox'), r.output);
    assert.doesNotMatch(r.output, /not defined/);
  });

  it('serves the user Docker over TLS to a client with a certificate, and refuses one without', { timeout: 3 * CMD_MS }, async () => {
    const vm = machine();
    const on = await vm.run('ros config set rancher.docker.tls true && ros service up docker && ros tls gen && wait-for-docker 120 && docker --tlsverify -H tcp://127.0.0.1:2376 version --format "tls {{.Server.Version}}"', 3 * CMD_MS);
    assert.match(on.output, /^tls 26\.1\.5/m, on.output);
    const off = await vm.run('mkdir -p /tmp/nocert && cp ~/.docker/ca.pem /tmp/nocert/ && DOCKER_CERT_PATH=/tmp/nocert docker --tls -H tcp://127.0.0.1:2376 ps; echo exit=$?', CMD_MS);
    assert.match(off.output, /exit=1/, off.output);
    assert.match(off.output, /certificate/i, off.output);
  });
});
