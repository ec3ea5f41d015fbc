// User story: three lines of cloud-config make three ros nodes one Docker
// Swarm. A manager and two workers boot at once on a private L2 network made
// of UDP sockets on 127.0.0.1 and a hub in this process (nothing leaves the
// machine; eth0 is a restricted user network for the console's ssh only):
//
//   swarm-m1  eth1 192.168.70.1 ─┐
//   swarm-w2  eth1 192.168.70.2 ─┼─ hub (every frame to every other VM)
//   swarm-w3  eth1 192.168.70.3 ─┤
//   swarm-bad eth1 192.168.70.4 ─┘  (later: the wrong cluster_secret)
//
// Nothing is typed on the workers: they fetch their join token from the
// manager with the cluster secret and join by themselves. Then a service runs
// a task on each node, a container on the manager reaches the tasks on the
// workers over an overlay network, a power-cut worker's task moves and the
// worker rejoins when it boots again, and a node with the wrong secret is
// refused on both consoles and never appears in `docker node ls`.
import assert from 'node:assert/strict';
import type { Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Qemu, withoutKernelLines } from './qemu';
import { configDriveIso } from './iso';
import { blankDisk } from './disk';
import { boundSocket, freeUdpPort } from './udp';

const BOOT_MS = 900_000; // three VMs booting at once on two cores
const CMD_MS = 120_000;
const SECRET = 'e2e-swarm-secret-0123456789abcdefXYZ';
const SUBNET = '192.168.70';
const work = mkdtempSync(join(tmpdir(), 'ros-swarm-'));

interface NodeSpec {
  name: string;
  ip: string;
  mac: string;
  swarm: string;
}

const NODES: NodeSpec[] = [
  { name: 'swarm-m1', ip: `${SUBNET}.1`, mac: '52:54:00:70:00:01', swarm: `role: manager\n    advertise_addr: eth1\n    cluster_secret: ${SECRET}\n    labels:\n      zone: a` },
  { name: 'swarm-w2', ip: `${SUBNET}.2`, mac: '52:54:00:70:00:02', swarm: `role: worker\n    advertise_addr: eth1\n    join: ["${SUBNET}.1"]\n    cluster_secret: ${SECRET}\n    labels:\n      zone: b` },
  { name: 'swarm-w3', ip: `${SUBNET}.3`, mac: '52:54:00:70:00:03', swarm: `role: worker\n    advertise_addr: eth1\n    join: ["${SUBNET}.1"]\n    cluster_secret: ${SECRET}` },
  { name: 'swarm-bad', ip: `${SUBNET}.4`, mac: '52:54:00:70:00:04', swarm: `role: worker\n    advertise_addr: eth1\n    join: ["${SUBNET}.1"]\n    cluster_secret: not-the-cluster-secret-0123456789` },
];

// The swarm's task containers must never try a registry: the image is preloaded.
function userData(n: NodeSpec): string {
  return `#cloud-config
hostname: ${n.name}
rancher:
  network:
    interfaces:
      eth0:
        dhcp: true
      eth1:
        address: ${n.ip}/24
  docker:
    environment: ["DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1"]
  swarm:
    ${n.swarm}
`;
}

/**
 * An Ethernet hub: VM i sends its frames to hub socket i; each frame goes out
 * of every other hub socket j to VM j (from the address VM j expects).
 */
class Hub {
  readonly ports: { hub: number; vm: number }[] = [];
  readonly #sockets: Socket[] = [];

  static async start(n: number): Promise<Hub> {
    const hub = new Hub();
    for (let i = 0; i < n; i++) {
      const s = await boundSocket();
      hub.#sockets.push(s);
      hub.ports.push({ hub: s.address().port, vm: await freeUdpPort() });
    }
    hub.#sockets.forEach((s, i) =>
      s.on('error', () => {}).on('message', (frame) => {
        hub.#sockets.forEach((out, j) => {
          if (j !== i) out.send(frame, hub.ports[j]!.vm, '127.0.0.1');
        });
      }),
    );
    return hub;
  }

  close(): void {
    for (const s of this.#sockets) s.close();
  }
}

const lines = (out: string) => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);
const secs = (ms: number) => (ms / 1000).toFixed(0);

describe('three ros nodes become one Docker Swarm from cloud-config alone', () => {
  const started = Date.now();
  let hub: Hub | undefined;
  const vms: (Qemu | undefined)[] = [];
  const disks = NODES.map((n) => blankDisk(join(work, `${n.name}.img`)));
  const isos = NODES.map((n, i) => configDriveIso(work, n.name, userData(n), `e2e-swarm-${i}`));
  const notes: string[] = [];
  const note = (s: string) => {
    notes.push(s);
    console.log(`# swarm e2e: ${s}`);
  };

  function boot(i: number, run: number): Promise<Qemu> {
    const n = NODES[i]!;
    const p = hub!.ports[i]!;
    return Qemu.start({
      name: `${n.name}-${run}`,
      cpus: 1,
      memoryMb: 1536,
      disks: [disks[i]!],
      iso: isos[i],
      cmdline: 'rancher.state.autoformat=[/dev/vda]',
      nicOptions: 'restrict=on',
      extraArgs: [
        '-netdev', `dgram,id=l2,local.type=inet,local.host=127.0.0.1,local.port=${p.vm},remote.type=inet,remote.host=127.0.0.1,remote.port=${p.hub}`,
        '-device', `virtio-net-pci,netdev=l2,id=l2-nic,mac=${n.mac}`,
      ],
    });
  }
  const vm = (i: number): Qemu => {
    const v = vms[i];
    assert.ok(v, `${NODES[i]!.name} is not running`);
    return v;
  };
  const m1 = () => vm(0);
  const nodeLs = async () => lines((await m1().run(`docker node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}}'`, CMD_MS)).output);

  after(async () => {
    await Promise.all(vms.map((v) => v?.stop() ?? Promise.resolve()));
    hub?.close();
    rmSync(work, { recursive: true, force: true });
    note(`the whole test took ${secs(Date.now() - started)} s`);
  });

  let lastBootComplete = 0;
  let lastWorkerBootComplete = 0;
  before(async () => {
    hub = await Hub.start(NODES.length);
    for (let i = 0; i < 3; i++) vms[i] = await boot(i, 1);
    const at = await Promise.all([0, 1, 2].map(async (i) => {
      await vm(i).milestone('boot-complete', BOOT_MS);
      note(`${NODES[i]!.name} boot-complete ${secs(Date.now() - started)} s after the start`);
      return Date.now();
    }));
    lastBootComplete = Math.max(...at);
    lastWorkerBootComplete = Math.max(at[1]!, at[2]!);
  });

  it('lists three Ready nodes on the manager, with nothing typed on the workers', { timeout: 600_000 }, async () => {
    let ls: string[] = [];
    const deadline = Date.now() + 540_000;
    while (Date.now() < deadline) {
      ls = (await nodeLs()).sort();
      if (ls.length === 3 && ls.every((l) => / Ready/.test(l))) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    note(`three Ready nodes ${secs(Date.now() - lastWorkerBootComplete)} s after the last worker's boot-complete (${secs(Date.now() - lastBootComplete)} s after the last of the three)`);
    assert.deepEqual(ls, ['swarm-m1 Ready Leader', 'swarm-w2 Ready', 'swarm-w3 Ready'], ls.join('\n'));
    for (const i of [1, 2]) await vm(i).waitForInLog(/swarm: joined the swarm as a worker through 192\.168\.70\.1/, 1000);
    const waited = [1, 2].some((i) => /swarm: waiting for manager 192\.168\.70\.1: connection refused, retrying in \d+ s/.test(vm(i).console.text));
    note(`a worker logged "waiting for manager …, retrying": ${waited}`);
    await m1().waitForInLog(/swarm: token service: gave a worker join token to 192\.168\.70\.2/, 1000);
  });

  it('shows the node, the nodes and the quorum in ros swarm status, and set the labels', { timeout: CMD_MS * 3 }, async () => {
    const st = await m1().run('ros swarm status', CMD_MS);
    assert.match(st.output, /this node +manager, node \w+, address 192\.168\.70\.1/, st.output);
    assert.match(st.output, /quorum +1 of 1 manager\(s\) reachable, 1 needed: ok/, st.output);
    for (const n of ['swarm-m1', 'swarm-w2', 'swarm-w3']) assert.match(st.output, new RegExp(`^${n} +(manager|worker) +ready +active +192\\.168\\.70\\.`, 'm'), st.output);
    const js = await m1().run('ros swarm status --json | grep -c \'"hostname"\'', CMD_MS);
    assert.equal(lines(js.output).at(-1), '3', js.output);
    const labels = await m1().run(`for n in swarm-m1 swarm-w2; do docker node inspect $n --format '{{.Description.Hostname}} {{index .Spec.Labels "zone"}}'; done`, CMD_MS);
    assert.deepEqual(lines(labels.output), ['swarm-m1 a', 'swarm-w2 b'], labels.output);
    const leak = await m1().run(`grep -rl '${SECRET}' /var/log/ | wc -l; dmesg | grep -c '${SECRET}'; ros config export --full | grep cluster_secret`, CMD_MS);
    assert.deepEqual(lines(leak.output).slice(0, 2), ['0', '0'], `the secret must not be in the logs:\n${leak.output}`);
    assert.match(leak.output, /cluster_secret: "?<redacted>"?/, leak.output);
  });

  const tasks = async () => lines((await m1().run(`docker service ps web --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'`, CMD_MS)).output).filter((l) => / Running /.test(l));

  it('runs one task of a 3-replica service on each node, reachable across nodes over an overlay network', { timeout: 600_000 }, async () => {
    const net = await m1().run('docker network create -d overlay --attachable web-net', CMD_MS);
    assert.equal(net.code, 0, net.output);
    const svc = await m1().run(
      `docker service create --detach --name web --replicas 3 --network web-net --hostname '{{.Node.Hostname}}' --no-resolve-image busybox:latest sh -c 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'`,
      CMD_MS,
    );
    assert.equal(svc.code, 0, svc.output);
    let running: string[] = [];
    const deadline = Date.now() + 480_000;
    while (Date.now() < deadline && (running = await tasks()).length < 3) await new Promise((r) => setTimeout(r, 3000));
    const nodes = running.map((l) => l.split(' ')[0]).sort();
    assert.deepEqual(nodes, ['swarm-m1', 'swarm-w2', 'swarm-w3'], running.join('\n'));
    // From a container on the manager: every task by its overlay address (the swarm's DNS gives them).
    const probe = await m1().run(
      `docker run --rm --network web-net busybox:latest sh -c 'for ip in $(nslookup tasks.web 127.0.0.11 | grep -o "Address: [0-9.]*" | grep -v 127.0.0.11 | cut -d" " -f2); do wget -qO- -T 10 http://$ip/; done'`,
      CMD_MS,
    );
    assert.deepEqual(lines(probe.output).sort(), ['swarm-m1', 'swarm-w2', 'swarm-w3'], probe.output);
    // And through the service's virtual address, which the kernel's IPVS spreads over the tasks.
    const vip = await m1().run(`docker run --rm --network web-net busybox:latest sh -c 'for i in 1 2 3 4 5 6 7 8 9; do wget -qO- -T 10 http://web/; done'`, CMD_MS);
    note(`answers through the service address: ${[...new Set(lines(vip.output))].sort().join(', ')}`);
    assert.ok(lines(vip.output).some((l) => l !== 'swarm-m1' && l.startsWith('swarm-w')), vip.output);
  });

  it('moves a power-cut worker\'s task to the other nodes, and the worker rejoins when it boots again', { timeout: BOOT_MS + 600_000 }, async () => {
    await vm(2).kill();
    const cut = Date.now();
    const down = await m1().runUntil(`docker node ls --format '{{.Hostname}} {{.Status}}'`, /^swarm-w3 Down$/m, 300_000);
    assert.match(down, /^swarm-w3 Down$/m, down);
    let running: string[] = [];
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      running = await tasks();
      if (running.length === 3 && running.every((l) => !l.startsWith('swarm-w3'))) break;
      await new Promise((r) => setTimeout(r, 3000));
    }
    note(`3 tasks running without swarm-w3 ${secs(Date.now() - cut)} s after the power cut`);
    assert.equal(running.length, 3, running.join('\n'));
    assert.ok(running.every((l) => /^swarm-(m1|w2) /.test(l)), running.join('\n'));

    // Booted again from its state disk, and at the same time a fourth node with the wrong secret.
    vms[2] = await boot(2, 2);
    vms[3] = await boot(3, 1);
    const rebooted = Date.now();
    await vm(2).milestone('boot-complete', BOOT_MS);
    const back = await m1().runUntil(`docker node ls --format '{{.Hostname}} {{.Status}}'`, /^swarm-w3 Ready$/m, 300_000);
    assert.match(back, /^swarm-w3 Ready$/m, back);
    note(`swarm-w3 Ready again ${secs(Date.now() - rebooted)} s after it was started again`);
    // It came back as the same node: its membership was on the state disk, so the agent had nothing to join.
    assert.doesNotMatch(vm(2).console.text, /swarm: joined the swarm/, 'the rebooted worker joined anew instead of keeping its membership');
    const count = lines(back).filter((l) => l.startsWith('swarm-w3')).length;
    assert.equal(count, 1, back);
  });

  it('refuses a node with the wrong cluster_secret, on its console and the manager\'s, and never lists it', { timeout: BOOT_MS + CMD_MS * 3 }, async () => {
    const bad = vm(3);
    await bad.milestone('boot-complete', BOOT_MS);
    const refused = await bad.waitForInLog(/swarm: manager 192\.168\.70\.1 refused this node: this node's rancher\.swarm\.cluster_secret is not the manager's, retrying in \d+ s/, 300_000);
    note(`the wrong-secret node's console: ${refused[0]}`);
    await m1().waitForInLog(/swarm: token service: refused a request from 192\.168\.70\.4: the request is not signed with this cluster's secret/, 60_000);
    const ls = await nodeLs();
    assert.ok(!ls.some((l) => l.startsWith('swarm-bad')), ls.join('\n'));
    const st = await bad.run('ros swarm status', CMD_MS);
    assert.match(st.output, /this node +not in a swarm \(inactive\)/, st.output);
    assert.match(st.output, /agent +manager 192\.168\.70\.1 refused this node/, st.output);
  });

  it('keeps a node removed with docker node rm out of the swarm', { timeout: CMD_MS * 4 }, async () => {
    const rm = await m1().run('docker node rm --force swarm-w2', CMD_MS);
    assert.equal(rm.code, 0, rm.output);
    // Two and a half rounds of the agent's 30 s check: time enough to fight its way back, if it would.
    await new Promise((r) => setTimeout(r, 75_000));
    const ls = await nodeLs();
    assert.ok(!ls.some((l) => l.startsWith('swarm-w2')), ls.join('\n'));
    assert.equal(vm(1).console.text.match(/swarm: joined the swarm/g)?.length, 1, 'the removed worker joined again');
    const info = lines((await vm(1).run(`docker info --format 'state={{.Swarm.LocalNodeState}} error={{.Swarm.Error}}'`, CMD_MS)).output).join(' ');
    note(`swarm-w2 75 s after docker node rm: its dockerd reports ${info}`);
    // Once its dockerd has let go of the swarm, the agent says why it stays out.
    if (/state=inactive/.test(info)) await vm(1).waitForInLog(/swarm: this node left or was removed from the swarm .*not joining again/, 45_000);
  });
});
