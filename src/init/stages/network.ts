// Host networking: loopback, then each interface per rancher.network (DHCP
// by default). udhcpc stays running as PID 1's child to renew the lease; the
// stage waits a few seconds for a first lease so datasources can use it.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { planInterfaces, resolvConf, type InterfacePlan, type PresentInterface } from '../../config/network-plan';
import type { NetworkConfig } from '../../config/types';
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

// `replace`, not `add`: a datasource may bring the same addresses again later in the boot.
async function configure(ctx: BootContext, plan: InterfacePlan): Promise<void> {
  if (plan.mtu) await ip(ctx, ['link', 'set', plan.name, 'mtu', String(plan.mtu)]);
  await ip(ctx, ['link', 'set', plan.name, 'up']);
  for (const a of plan.addresses) await ip(ctx, [...(a.includes(':') ? ['-6'] : []), 'addr', 'replace', a, 'dev', plan.name]);
  if (plan.gateway) await ip(ctx, ['route', 'replace', 'default', 'via', plan.gateway, 'dev', plan.name]);
  if (plan.gatewayIpv6) await ip(ctx, ['-6', 'route', 'replace', 'default', 'via', plan.gatewayIpv6, 'dev', plan.name]);
}

function presentInterfaces(): PresentInterface[] {
  return readdirSync('/sys/class/net').map((name) => {
    try {
      return { name, mac: readFileSync(`/sys/class/net/${name}/address`, 'utf8').trim() };
    } catch {
      return { name };
    }
  });
}

function writeDns(net: NetworkConfig | undefined): void {
  const dns = resolvConf(net);
  if (!dns) return;
  writeFileSync('/etc/resolv.conf', dns);
  // Tells the DHCP script to leave resolv.conf alone.
  writeFileSync('/run/ros/net/static-dns', '');
}

/**
 * Static addresses and resolvers that arrived after the network stage (a
 * cloud's metadata): applied on top of what runs; DHCP clients are left as they are.
 */
export async function applyStaticNetwork(ctx: BootContext, net: NetworkConfig): Promise<void> {
  writeDns(net);
  const plans = planInterfaces(presentInterfaces(), net).filter((p) => !p.dhcp && p.addresses.length > 0);
  for (const p of plans) {
    await configure(ctx, p);
    ctx.log.info(`network: ${p.name} ${p.addresses.join(' ')} (from the datasource)`);
  }
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
    writeDns(net);
    const plans = planInterfaces(presentInterfaces(), net);
    const failures: string[] = [];
    await Promise.all(
      plans.map((p) =>
        configure(ctx, p)
          .then(() => p.dhcp && startDhcp(ctx, p.name))
          .catch((err: Error) => failures.push(err.message)),
      ),
    );
    const dhcp = plans.filter((p) => p.dhcp).map((p) => p.name);
    const missing = await waitForLeases(dhcp);
    for (const p of plans) ctx.log.info(`network: ${p.name} ${p.dhcp ? (missing.includes(p.name) ? 'dhcp (no lease yet)' : 'dhcp') : p.addresses.join(' ') || 'up'}`);
    if (failures.length > 0) throw new Error(failures.join('; '));
  },
};
