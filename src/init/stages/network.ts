// Host networking: carries out the plan of src/config/network-plan.ts with
// busybox `ip`, sysfs and udhcpc (docs/architecture.md, "Network"). udhcpc
// stays running as PID 1's child to renew the lease; the stage waits a few
// seconds for first leases so datasources can use them.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { planNetwork, type DnsPlan, type NetStep, type NetworkPlan } from '../../config/network-plan';
import { NET_APPLIED, NET_RUN_DIR } from '../../config/paths';
import type { NetworkConfig } from '../../config/types';
import { loadModules } from '../../sys/modules';
import { presentInterfaces } from '../../sys/net-links';
import { atomicWrite } from '../../sys/atomic-write';
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { runCaptured, spawnOwned } from '../children';
import { shutdownInProgress } from '../shutdown';

const NET_DIR = NET_RUN_DIR;

/** The DHCP clients PID 1 runs, by `iface` or `iface/6`. */
const dhcpClients = new Map<string, ChildProcess>();
/** The rancher.network last applied (JSON), so a later stage re-applies only a changed one. */
let applied: string | undefined;

async function ip(ctx: BootContext, args: string[]): Promise<void> {
  const r = await runCaptured('ip', args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.out.trim() || `exit ${r.code}`}`);
  ctx.log.debug(`ip ${args.join(' ')}`);
}

function startDhcp(ctx: BootContext, iface: string, v6: boolean, extra: string[]): void {
  const key = v6 ? `${iface}/6` : iface;
  if (dhcpClients.has(key)) return; // re-applied: the running client keeps its lease
  const [cmd, script] = v6 ? ['udhcpc6', '/usr/share/udhcpc/default6.script'] : ['udhcpc', '/usr/share/udhcpc/default.script'];
  const child = spawnOwned(cmd, ['-f', '-S', '-i', iface, '-s', script, '-t', '10', '-T', '2', '-A', '10', ...extra], { stdio: 'ignore', env: ctx.env });
  dhcpClients.set(key, child);
  child.once('exit', (code, signal) => {
    if (dhcpClients.get(key) === child) dhcpClients.delete(key);
    if (!shutdownInProgress() && !child.killed) ctx.log.warn(`${cmd} on ${iface} exited (code ${code}, signal ${signal})`);
  });
}

/** An interface that joins a bond or bridge gives up its own DHCP lease. */
async function stopDhcp(ctx: BootContext, iface: string): Promise<void> {
  for (const key of [iface, `${iface}/6`]) {
    const child = dhcpClients.get(key);
    if (!child) continue;
    dhcpClients.delete(key);
    child.kill('SIGTERM');
    ctx.log.info(`network: ${iface}: DHCP stopped (it joins a bond or bridge now)`);
  }
  rmSync(`${NET_DIR}/${iface}.lease`, { force: true });
  await ip(ctx, ['addr', 'flush', 'dev', iface]);
}

async function runHook(ctx: BootContext, step: Extract<NetStep, { op: 'run' }>): Promise<void> {
  const where = step.iface ? `${step.iface} ${step.hook}` : step.hook;
  const r = await runCaptured('sh', ['-c', step.command], { ...ctx.env, ...(step.iface ? { iface: step.iface } : {}) });
  const out = r.out.trim();
  if (out) for (const line of out.split('\n')) ctx.log.info(`network: ${where}: ${line}`);
  if (r.code !== 0) throw new Error(`${where} command ${JSON.stringify(step.command)} failed (exit ${r.code})`);
  ctx.log.info(`network: ${where}: ran ${JSON.stringify(step.command)}`);
}

const exists = (iface: string): boolean => existsSync(`/sys/class/net/${iface}`);

function masterOf(iface: string): string | undefined {
  try {
    return readFileSync(`/sys/class/net/${iface}/master/uevent`, 'utf8').match(/^INTERFACE=(.*)$/m)?.[1];
  } catch {
    return undefined;
  }
}

/** ARP-probes the candidates in turn (RFC 3927) and takes the first no one answers for. */
async function ipv4ll(ctx: BootContext, iface: string, candidates: string[]): Promise<void> {
  const current = await runCaptured('ip', ['-4', 'addr', 'show', 'dev', iface]);
  if (/inet 169\.254\./.test(current.out)) return;
  for (const addr of candidates) {
    // -D: exit 1 if someone has the address.
    const probe = await runCaptured('arping', ['-D', '-q', '-c', '2', '-w', '2', '-I', iface, addr]);
    if (probe.code === 0) {
      await ip(ctx, ['addr', 'replace', `${addr}/16`, 'dev', iface, 'scope', 'link']);
      ctx.log.info(`network: ${iface}: link-local ${addr}`);
      return;
    }
  }
  throw new Error(`${iface}: ipv4ll: every candidate address is taken (${candidates.join(', ')})`);
}

// `replace`, not `add`: a re-apply brings the same addresses again.
async function runStep(ctx: BootContext, step: NetStep): Promise<void> {
  switch (step.op) {
    case 'load-modules': {
      const report = loadModules(release(), step.modules);
      if (report.failed.length > 0) throw new Error(`modules: ${report.failed.map((f) => `${f.module}: ${f.error}`).join('; ')}`);
      if (report.missing.length > 0) ctx.log.warn(`network: modules not found: ${report.missing.join(', ')}`);
      return;
    }
    case 'run':
      return runHook(ctx, step);
    case 'create-bond': {
      // Loading `bonding` makes bond0 by itself; the options need the bond down and without slaves.
      if (!exists(step.iface)) await ip(ctx, ['link', 'add', 'name', step.iface, 'type', 'bond']);
      await ip(ctx, ['link', 'set', step.iface, 'down']);
      for (const [k, v] of step.opts) {
        try {
          writeFileSync(`/sys/class/net/${step.iface}/bonding/${k}`, v);
        } catch (err) {
          throw new Error(`${step.iface}: bond_opts ${k}=${v}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { cause: err });
        }
      }
      return;
    }
    case 'create-bridge':
      if (!exists(step.iface)) await ip(ctx, ['link', 'add', 'name', step.iface, 'type', 'bridge']);
      return;
    case 'create-vlan':
      if (!exists(step.iface)) await ip(ctx, ['link', 'add', 'link', step.parent, 'name', step.iface, 'type', 'vlan', 'id', String(step.id)]);
      return;
    case 'enslave':
      if (masterOf(step.iface) === step.bond) return;
      await stopDhcp(ctx, step.iface);
      // The bonding driver takes only slaves that are down; it brings them up itself.
      await ip(ctx, ['link', 'set', step.iface, 'down']);
      await ip(ctx, ['link', 'set', step.iface, 'master', step.bond]);
      return;
    case 'add-to-bridge':
      if (masterOf(step.iface) === step.bridge) return;
      await stopDhcp(ctx, step.iface);
      await ip(ctx, ['link', 'set', step.iface, 'master', step.bridge]);
      return;
    case 'mtu':
      return ip(ctx, ['link', 'set', step.iface, 'mtu', String(step.mtu)]);
    case 'up':
      return ip(ctx, ['link', 'set', step.iface, 'up']);
    case 'address':
      return ip(ctx, [...(step.cidr.includes(':') ? ['-6'] : []), 'addr', 'replace', step.cidr, 'dev', step.iface]);
    case 'ipv4ll':
      return ipv4ll(ctx, step.iface, step.candidates);
    case 'default-route':
      return ip(ctx, [...(step.ipv6 ? ['-6'] : []), 'route', 'replace', 'default', 'via', step.via, 'dev', step.iface]);
    case 'dhcp':
      return startDhcp(ctx, step.iface, false, step.args);
    case 'dhcpv6':
      return startDhcp(ctx, step.iface, true, []);
  }
}

/** resolv.conf now, and what the DHCP scripts do with a lease's resolvers (files in /run/ros/net). */
function writeDns(dns: DnsPlan): void {
  if (dns.resolvConf) writeFileSync('/etc/resolv.conf', dns.resolvConf);
  const files: [string, string | null][] = [
    ['static-dns', dns.static ? '' : null],
    ['dns-search', dns.search.length ? dns.search.join(' ') : null],
    ['dns-fallback', dns.fallback.length ? dns.fallback.join(' ') : null],
  ];
  for (const [name, content] of files) {
    if (content === null) rmSync(`${NET_DIR}/${name}`, { force: true });
    else writeFileSync(`${NET_DIR}/${name}`, content);
  }
}

/**
 * The steps in order. A failed step is reported and the rest go on (a bad
 * hook or one missing NIC must not cost the others their network), except
 * that an interface whose creation failed is not configured further.
 */
async function execute(ctx: BootContext, plan: NetworkPlan): Promise<string[]> {
  const failures: string[] = [];
  const broken = new Set<string>();
  for (const step of plan.steps) {
    const iface = 'iface' in step ? step.iface : undefined;
    if (iface && broken.has(iface)) continue;
    try {
      await runStep(ctx, step);
    } catch (err) {
      const msg = (err as Error).message;
      failures.push(msg);
      ctx.log.error(`network: ${msg}`);
      if (iface && step.op.startsWith('create-')) broken.add(iface);
    }
  }
  return failures;
}

async function waitForLeases(names: string[], waitMs: number): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  let missing = names;
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    missing = missing.filter((n) => !existsSync(`${NET_DIR}/${n}.lease`));
  }
  return missing;
}

/** Plans rancher.network against the interfaces present and carries it out; throws naming what failed. */
export async function applyNetwork(ctx: BootContext, net: NetworkConfig | undefined, why: string): Promise<void> {
  mkdirSync(NET_DIR, { recursive: true });
  applied = JSON.stringify(net ?? {});
  const plan = planNetwork(presentInterfaces(), net);
  for (const w of plan.warnings) ctx.log.warn(`network: ${w}`);
  writeDns(plan.dns);
  const failures = await execute(ctx, plan);
  const dhcp = plan.interfaces.filter((p) => p.dhcp).map((p) => p.name);
  const missing = await waitForLeases(dhcp, plan.leaseWaitMs);
  for (const p of plan.interfaces) {
    const what = p.master
      ? `in ${p.master.kind} ${p.master.name}`
      : [p.dhcp ? (missing.includes(p.name) ? 'dhcp (no lease yet)' : 'dhcp') : '', p.dhcpv6 ? 'dhcpv6' : '', p.ipv4ll ? 'ipv4ll' : '', ...p.addresses].filter(Boolean).join(' ') || 'up';
    ctx.log.info(`network: ${p.name}${p.kind === 'physical' ? '' : ` (${p.kind})`} ${what}${why ? ` (${why})` : ''}`);
  }
  record(why, true, failures, plan.warnings);
  if (failures.length > 0) throw new Error(failures.join('; '));
}

function record(why: string, changed: boolean, failures: string[], warnings: string[]): void {
  atomicWrite(NET_APPLIED, `${JSON.stringify({ at: Date.now(), why: why || 'boot', changed, failures, warnings })}\n`, 0o644);
}

/**
 * A rancher.network that changed after the network stage (user-data or a
 * cloud's metadata, read by the datasource stage) is applied on top of what
 * runs: new devices and addresses are added, DHCP clients keep running except
 * on interfaces that now join a bond or bridge.
 */
export async function reapplyNetworkIfChanged(ctx: BootContext, net: NetworkConfig | undefined, why: string): Promise<void> {
  if (JSON.stringify(net ?? {}) === applied) return record(why, false, [], []);
  await applyNetwork(ctx, net, why);
}

export const network: Task = {
  name: 'network',
  async run(ctx) {
    mkdirSync(NET_DIR, { recursive: true });
    await ip(ctx, ['link', 'set', 'lo', 'up']);
    await applyNetwork(ctx, ctx.config.rancher?.network, '');
  },
};
