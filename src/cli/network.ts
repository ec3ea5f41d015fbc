// `ros network …`: show the plan rancher.network makes on this node, and apply
// a changed one without a reboot (PID 1 does it on SIGHUP; docs/architecture.md, "Network").
import { readFileSync, statSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { planNetwork, type NetStep } from '../config/network-plan';
import { NET_APPLIED } from '../config/paths';
import { presentInterfaces } from '../sys/net-links';
import { nodeConfig, requireNode, target } from './node';
import { json, stdout } from './output';

const APPLY_WAIT_MS = 120_000;

/** One line per step, as a user reads a plan. */
function describeStep(s: NetStep): string {
  switch (s.op) {
    case 'load-modules':
      return `load modules ${s.modules.join(' ')}`;
    case 'run':
      return `${s.iface ? `${s.iface}: ` : ''}${s.hook}: ${s.command}`;
    case 'create-bond':
      return `${s.iface}: create bond${s.opts.length ? ` (${s.opts.map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`;
    case 'create-bridge':
      return `${s.iface}: create bridge`;
    case 'create-vlan':
      return `${s.iface}: create vlan ${s.id} on ${s.parent}`;
    case 'enslave':
      return `${s.iface}: join bond ${s.bond}`;
    case 'add-to-bridge':
      return `${s.iface}: join bridge ${s.bridge}`;
    case 'mtu':
      return `${s.iface}: mtu ${s.mtu}`;
    case 'up':
      return `${s.iface}: up`;
    case 'address':
      return `${s.iface}: address ${s.cidr}`;
    case 'ipv4ll':
      return `${s.iface}: link-local IPv4`;
    case 'default-route':
      return `${s.iface}: default route via ${s.via}`;
    case 'dhcp':
      return `${s.iface}: dhcp${s.args.length ? ` ${s.args.join(' ')}` : ''}`;
    case 'dhcpv6':
      return `${s.iface}: dhcpv6`;
  }
}

interface Applied {
  at: number;
  why: string;
  changed: boolean;
  failures: string[];
  warnings: string[];
}

function readApplied(): Applied | undefined {
  try {
    return JSON.parse(readFileSync(NET_APPLIED, 'utf8')) as Applied;
  } catch {
    return undefined;
  }
}

async function apply(): Promise<void> {
  requireNode('ros network apply');
  const sent = Date.now();
  const mtime = (() => {
    try {
      return statSync(NET_APPLIED).mtimeMs;
    } catch {
      return 0;
    }
  })();
  process.kill(1, 'SIGHUP');
  const deadline = sent + APPLY_WAIT_MS;
  for (;;) {
    const r = readApplied();
    if (r && r.at >= sent && statSync(NET_APPLIED).mtimeMs !== mtime) {
      for (const w of r.warnings) stdout.write(`warning: ${w}\n`);
      for (const f of r.failures) stdout.write(`failed: ${f}\n`);
      stdout.write(r.changed ? `network: applied${r.failures.length ? ` with ${r.failures.length} failure(s)` : ''}\n` : 'network: rancher.network is unchanged\n');
      if (r.failures.length > 0) process.exitCode = 1;
      return;
    }
    if (Date.now() > deadline) throw new Error(`ros network apply: PID 1 did not report within ${APPLY_WAIT_MS / 1000} s (is the boot finished?)`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

export const networkCommand: CommandModule = {
  command: 'network <command>',
  describe: 'Host networking (rancher.network)',
  builder: (y: Argv) =>
    y
      .command({
        command: 'plan',
        describe: 'Print the steps rancher.network makes with the interfaces of this machine (changes nothing)',
        builder: (a: Argv) => a.option('json', { type: 'boolean', describe: 'Print JSON' }),
        handler: (args) => {
          const plan = planNetwork(presentInterfaces(), nodeConfig(target(args)).rancher?.network);
          if (args.json) return json(plan, stdout);
          for (const w of plan.warnings) stdout.write(`warning: ${w}\n`);
          for (const s of plan.steps) stdout.write(`${describeStep(s)}\n`);
        },
      })
      .command({
        command: 'apply',
        describe: 'Apply a changed rancher.network now (after ros config set/merge): PID 1 reloads the config, then this prints the outcome',
        handler: apply,
      })
      .demandCommand(1, 'name a network command (see ros network --help)'),
  handler: () => {},
};
