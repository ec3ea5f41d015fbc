// Host networking: loopback, then each interface per rancher.network (DHCP
// by default). udhcpc stays running as PID 1's child to renew the lease; the
// stage waits a few seconds for a first lease so datasources can use it.
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { planInterfaces, resolvConf, type InterfacePlan } from '../../config/network-plan';
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { runCaptured, spawnOwned } from '../children';
import { shutdownInProgress } from '../shutdown';

const LEASE_WAIT_MS = 8000;

async function ip(ctx: BootContext, args: string[]): Promise<void> {
  const r = await runCaptured('ip', args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.out.trim() || `exit ${r.code}`}`);
  ctx.log.debug(`ip ${args.join(' ')}`);
}

function startDhcp(ctx: BootContext, iface: string): void {
  const child = spawnOwned('udhcpc', ['-f', '-S', '-i', iface, '-s', '/usr/share/udhcpc/default.script', '-t', '10', '-T', '2', '-A', '10'], {
    stdio: 'ignore',
  });
  child.once('exit', (code, signal) => {
    if (!shutdownInProgress()) ctx.log.warn(`udhcpc on ${iface} exited (code ${code}, signal ${signal})`);
  });
}

async function configure(ctx: BootContext, plan: InterfacePlan): Promise<void> {
  if (plan.mtu) await ip(ctx, ['link', 'set', plan.name, 'mtu', String(plan.mtu)]);
  await ip(ctx, ['link', 'set', plan.name, 'up']);
  if (plan.address) await ip(ctx, ['addr', 'add', plan.address, 'dev', plan.name]);
  if (plan.gateway) await ip(ctx, ['route', 'add', 'default', 'via', plan.gateway, 'dev', plan.name]);
  if (plan.dhcp) startDhcp(ctx, plan.name);
}

async function waitForLeases(names: string[]): Promise<string[]> {
  const deadline = Date.now() + LEASE_WAIT_MS;
  let missing = names;
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    missing = missing.filter((n) => !existsSync(`/run/ros/net/${n}.lease`));
  }
  return missing;
}

export const network: Task = {
  name: 'network',
  async run(ctx) {
    mkdirSync('/run/ros/net', { recursive: true });
    await ip(ctx, ['link', 'set', 'lo', 'up']);
    const net = ctx.config.rancher?.network;
    const dns = resolvConf(net);
    if (dns) {
      writeFileSync('/etc/resolv.conf', dns);
      writeFileSync('/run/ros/net/static-dns', '');
    }
    const plans = planInterfaces(readdirSync('/sys/class/net'), net);
    const failures: string[] = [];
    await Promise.all(plans.map((p) => configure(ctx, p).catch((err: Error) => failures.push(err.message))));
    const dhcp = plans.filter((p) => p.dhcp).map((p) => p.name);
    const missing = await waitForLeases(dhcp);
    for (const p of plans) ctx.log.info(`network: ${p.name} ${p.dhcp ? (missing.includes(p.name) ? 'dhcp (no lease yet)' : 'dhcp') : p.address ?? 'up'}`);
    if (failures.length > 0) throw new Error(failures.join('; '));
  },
};
