// From rancher.network and the interfaces present to an ordered list of steps
// (pure): create bonds, bridges and VLANs, then configure each interface,
// lower ones first. src/init/stages/network.ts carries the steps out
// (docs/architecture.md, "Network").
import type { InterfaceConfig, NetworkConfig } from './types';

/** An interface of this machine: its name and, when known, its MAC address. */
export interface PresentInterface {
  name: string;
  mac?: string;
  /** A bond, bridge, VLAN or other software device (no /sys/class/net/<name>/device): never matched by `mac=`. */
  virtual?: boolean;
}

export type InterfaceKind = 'physical' | 'bond' | 'bridge' | 'vlan';

/** What one interface becomes. */
export interface InterfacePlan {
  name: string;
  kind: InterfaceKind;
  /** The entry that applies to it (its key), if any: a created bond or VLAN may have none. */
  entry?: string;
  /** The bond or bridge it joins; such an interface gets no address and no DHCP. */
  master?: { kind: 'bond' | 'bridge'; name: string };
  dhcp: boolean;
  dhcpv6: boolean;
  ipv4ll: boolean;
  /** Static addresses (CIDR), `address` first. */
  addresses: string[];
  gateway?: string;
  gatewayIpv6?: string;
  mtu?: number;
}

export type Hook = 'pre_cmds' | 'pre_up' | 'post_up' | 'post_cmds';

/** One thing to do to the host, in plan order. */
export type NetStep =
  | { op: 'load-modules'; modules: string[] }
  | { op: 'run'; hook: Hook; iface?: string; command: string }
  | { op: 'create-bond'; iface: string; opts: [string, string][] }
  | { op: 'create-bridge'; iface: string }
  | { op: 'create-vlan'; iface: string; parent: string; id: number }
  | { op: 'enslave'; iface: string; bond: string }
  | { op: 'add-to-bridge'; iface: string; bridge: string }
  | { op: 'mtu'; iface: string; mtu: number }
  | { op: 'up'; iface: string }
  | { op: 'address'; iface: string; cidr: string }
  | { op: 'ipv4ll'; iface: string; candidates: string[] }
  | { op: 'default-route'; iface: string; via: string; ipv6: boolean }
  | { op: 'dhcp'; iface: string; args: string[] }
  | { op: 'dhcpv6'; iface: string };

/** Resolver settings: what to write now and what the DHCP scripts do with a lease's resolvers. */
export interface DnsPlan {
  /** /etc/resolv.conf to write before any lease, or null to leave it to DHCP. */
  resolvConf: string | null;
  /** The config's resolvers win: DHCP leaves resolv.conf alone. */
  static: boolean;
  /** Search domains that replace a lease's domain. */
  search: string[];
  /** Resolvers listed after DHCP's (`override: false`). */
  fallback: string[];
}

export interface NetworkPlan {
  interfaces: InterfacePlan[];
  steps: NetStep[];
  dns: DnsPlan;
  /** How long the boot waits for first DHCP leases. */
  leaseWaitMs: number;
  /** Config that cannot be carried out as written; the rest of the plan goes on. */
  warnings: string[];
}

export const DEFAULT_LEASE_WAIT_MS = 8000;
const DEFAULT_INTERFACES: Record<string, InterfaceConfig> = { 'eth*': { dhcp: true } };

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

const isGlob = (p: string): boolean => /[*?]/.test(p);
const macOf = (p: string): string | undefined => (/^mac[=:]/i.test(p) ? p.slice(4).toLowerCase() : undefined);

interface Entry {
  key: string;
  cfg: InterfaceConfig;
}

/**
 * The entry for an interface: its MAC (`mac=…`; never for a virtual device, which
 * shares its slave's or parent's MAC), then its exact name, then the first glob.
 * An entry's `match` stands in for its key.
 */
function findEntry(entries: Entry[], name: string, mac: string | undefined, virtual: boolean): Entry | undefined {
  const pattern = (e: Entry): string => e.cfg.match ?? e.key;
  if (mac && !virtual) {
    const byMac = entries.find((e) => macOf(pattern(e)) === mac.toLowerCase());
    if (byMac) return byMac;
  }
  const plain = entries.filter((e) => macOf(pattern(e)) === undefined);
  return plain.find((e) => !isGlob(pattern(e)) && pattern(e) === name) ?? plain.find((e) => isGlob(pattern(e)) && globToRegExp(pattern(e)).test(name));
}

/** RancherOS' `vlans`: `"100,200:name"` → [{id, name}]. */
export function parseVlans(spec: string | number, parent: string): { vlans: { id: number; name: string }[]; errors: string[] } {
  const vlans: { id: number; name: string }[] = [];
  const errors: string[] = [];
  for (const item of String(spec).split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?::([^\s:/]{1,15}))?$/.exec(item);
    const id = Number(m?.[1]);
    if (!m || id < 1 || id > 4094) {
      errors.push(`${parent}: vlans: "${item}" is not id or id:name with an id of 1–4094`);
      continue;
    }
    vlans.push({ id, name: m[2] ?? `${parent}.${id}` });
  }
  return { vlans, errors };
}

/** A command list as RancherOS took it: one string or a list; blank ones dropped. */
function commands(c: string | string[] | undefined): string[] {
  return (typeof c === 'string' ? [c] : (c ?? [])).map((s) => s.trim()).filter(Boolean);
}

/** Splits `dhcp_args` into words, honouring single and double quotes. */
function splitArgs(s: string): string[] {
  return [...s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** A few link-local addresses (169.254.1.0–169.254.254.255) derived from the MAC, tried in order. */
export function ipv4llCandidates(seed: string, count = 4): string[] {
  let h = 2166136261;
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    for (const ch of `${seed}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    out.push(`169.254.${1 + (h % 254)}.${(h >>> 8) % 256}`);
  }
  return out;
}

interface Node {
  name: string;
  kind: InterfaceKind;
  present: boolean;
  virtual: boolean;
  mac?: string;
  entry?: Entry;
  master?: { kind: 'bond' | 'bridge'; name: string };
  lower: string[]; // slaves, members, or the VLAN's parent
  vlanId?: number;
}

/** Turns the network config and the interfaces present into a plan. Pure. */
export function planNetwork(present: (string | PresentInterface)[], net: NetworkConfig = {}): NetworkPlan {
  const warnings: string[] = [];
  const interfaces = net.interfaces && Object.keys(net.interfaces).length > 0 ? net.interfaces : DEFAULT_INTERFACES;
  const entries: Entry[] = Object.entries(interfaces).map(([key, cfg]) => ({ key, cfg }));
  const nodes = new Map<string, Node>();
  const queue: Node[] = [];
  const add = (n: Node): Node => {
    nodes.set(n.name, n);
    queue.push(n);
    return n;
  };
  const virtualNode = (name: string, kind: InterfaceKind, from: string): Node | undefined => {
    const n = nodes.get(name);
    if (!n) return add({ name, kind, present: false, virtual: true, lower: [] });
    if (n.kind !== kind && !n.present) {
      warnings.push(`${from}: ${name} is already a ${n.kind}, not a ${kind}`);
      return undefined;
    }
    return n;
  };

  const all = present.map((p) => (typeof p === 'string' ? { name: p } : p));
  for (const p of all.filter((p) => p.name !== 'lo').sort((a, b) => a.name.localeCompare(b.name))) {
    // A present software device counts as physical until the config names it a bond, bridge or VLAN.
    add({ name: p.name, kind: 'physical', present: true, virtual: p.virtual === true, mac: p.mac, lower: [] });
  }
  // Bridges declared by `bridge: true` exist even before a member names them.
  for (const e of entries) {
    const name = e.cfg.match ?? e.key;
    if ((e.cfg.bridge === true || e.cfg.bridge === 'true') && !isGlob(name) && !macOf(name)) {
      const n = nodes.get(name);
      if (n) n.kind = 'bridge';
      else add({ name, kind: 'bridge', present: false, virtual: true, lower: [] });
    }
  }

  while (queue.length > 0) {
    const n = queue.shift()!;
    n.entry = findEntry(entries, n.name, n.mac, n.virtual);
    const cfg = n.entry?.cfg;
    if (!cfg) continue;
    if (cfg.bond && cfg.bond !== n.name) {
      const bond = virtualNode(cfg.bond, 'bond', n.name);
      if (bond) {
        if (bond.present && bond.kind === 'physical') bond.kind = 'bond';
        n.master = { kind: 'bond', name: bond.name };
        bond.lower.push(n.name);
      }
    } else if (typeof cfg.bridge === 'string' && cfg.bridge !== 'true' && cfg.bridge !== n.name) {
      const br = virtualNode(cfg.bridge, 'bridge', n.name);
      if (br) {
        if (br.present && br.kind === 'physical') br.kind = 'bridge';
        n.master = { kind: 'bridge', name: br.name };
        br.lower.push(n.name);
      }
    }
    // VLANs of VLANs (QinQ) are not made: a glob such as eth* would match eth0.100 and nest forever.
    if (cfg.vlans !== undefined && n.kind !== 'vlan') {
      const { vlans, errors } = parseVlans(cfg.vlans, n.name);
      warnings.push(...errors);
      for (const v of vlans) {
        const existing = nodes.get(v.name);
        if (existing?.present) {
          existing.kind = 'vlan';
          existing.lower = [n.name];
          existing.vlanId = v.id;
          continue;
        }
        if (existing) {
          warnings.push(`${n.name}: vlan ${v.id} is named ${v.name}, which is already taken`);
          continue;
        }
        add({ name: v.name, kind: 'vlan', present: false, virtual: true, lower: [n.name], vlanId: v.id });
      }
    }
  }

  // Depth: lower interfaces (slaves, members, parents) are configured first.
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const n = nodes.get(name);
    if (!n || seen.has(name)) {
      if (n) warnings.push(`${name}: its bonds, bridges and VLANs form a loop`);
      return 0;
    }
    seen.add(name);
    const d = n.lower.length === 0 ? 0 : 1 + Math.max(...n.lower.map((l) => depthOf(l, seen)));
    depth.set(name, d);
    return d;
  };
  const ordered = [...nodes.values()]
    .filter((n) => n.entry || !n.present)
    .sort((a, b) => depthOf(a.name, new Set()) - depthOf(b.name, new Set()) || a.name.localeCompare(b.name));

  const steps: NetStep[] = [];
  for (const command of commands(net.pre_cmds)) steps.push({ op: 'run', hook: 'pre_cmds', command });
  const created = ordered.filter((n) => !n.present);
  const modules = [
    ...(created.some((n) => n.kind === 'bond') ? ['bonding'] : []),
    ...(created.some((n) => n.kind === 'vlan') ? ['8021q'] : []),
    ...(created.some((n) => n.kind === 'bridge') ? ['bridge'] : []),
  ];
  if (modules.length > 0) steps.push({ op: 'load-modules', modules });
  for (const n of created) {
    if (n.kind === 'bond') steps.push({ op: 'create-bond', iface: n.name, opts: bondOpts(n.entry?.cfg.bond_opts) });
    else if (n.kind === 'bridge') steps.push({ op: 'create-bridge', iface: n.name });
    else if (n.kind === 'vlan') steps.push({ op: 'create-vlan', iface: n.name, parent: n.lower[0]!, id: n.vlanId! });
  }

  const plans: InterfacePlan[] = [];
  for (const n of ordered) {
    const cfg = n.entry?.cfg ?? {};
    const iface = n.name;
    const addresses = [...(cfg.address ? [cfg.address] : []), ...(cfg.addresses ?? [])];
    const ipv4ll = cfg.ipv4ll === true;
    const plan: InterfacePlan = {
      name: iface,
      kind: n.kind,
      ...(n.entry ? { entry: n.entry.key } : {}),
      ...(n.master ? { master: n.master } : {}),
      dhcp: !n.master && n.entry !== undefined && (cfg.dhcp ?? (addresses.length === 0 && !ipv4ll)),
      dhcpv6: !n.master && cfg.dhcpv6 === true,
      ipv4ll: !n.master && ipv4ll,
      addresses: n.master ? [] : addresses,
      gateway: n.master ? undefined : cfg.gateway,
      gatewayIpv6: n.master ? undefined : cfg.gateway_ipv6,
      mtu: cfg.mtu,
    };
    if (n.master && (addresses.length > 0 || cfg.dhcp || cfg.gateway || cfg.gateway_ipv6 || ipv4ll || cfg.dhcpv6)) {
      warnings.push(`${iface}: joins ${n.master.kind} ${n.master.name}, so its own addresses, gateways and DHCP are ignored`);
    }
    if (n.entry?.cfg.bond_opts && n.kind !== 'bond') warnings.push(`${iface}: bond_opts apply only to a bond that a slave names with bond: ${iface}`);
    else if (n.present && n.kind === 'bond' && n.entry?.cfg.bond_opts) warnings.push(`${iface}: bond_opts are set when the bond is created; ${iface} exists already`);
    plans.push(plan);
    steps.push(...interfaceSteps(plan, n.entry?.cfg, warnings));
  }
  for (const command of commands(net.post_cmds)) steps.push({ op: 'run', hook: 'post_cmds', command });

  return { interfaces: plans, steps, dns: planDns(net), leaseWaitMs: net.dhcp_timeout !== undefined ? net.dhcp_timeout * 1000 : DEFAULT_LEASE_WAIT_MS, warnings };
}

/** `mode` first: the driver takes most options only once it knows the mode. */
function bondOpts(opts: Record<string, string | number> | undefined): [string, string][] {
  const list = Object.entries(opts ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
  return [...list.filter(([k]) => k === 'mode'), ...list.filter(([k]) => k !== 'mode')];
}

function interfaceSteps(p: InterfacePlan, cfg: InterfaceConfig | undefined, warnings: string[]): NetStep[] {
  const iface = p.name;
  const steps: NetStep[] = commands(cfg?.pre_up).map((command) => ({ op: 'run', hook: 'pre_up', iface, command }));
  if (p.mtu) steps.push({ op: 'mtu', iface, mtu: p.mtu });
  if (p.master?.kind === 'bond') {
    steps.push({ op: 'enslave', iface, bond: p.master.name });
  } else if (p.master?.kind === 'bridge') {
    steps.push({ op: 'add-to-bridge', iface, bridge: p.master.name }, { op: 'up', iface });
  } else {
    steps.push({ op: 'up', iface });
    if (p.ipv4ll) steps.push({ op: 'ipv4ll', iface, candidates: ipv4llCandidates(iface) });
    for (const cidr of p.addresses) steps.push({ op: 'address', iface, cidr });
    if (p.gateway) steps.push({ op: 'default-route', iface, via: p.gateway, ipv6: p.gateway.includes(':') });
    if (p.gatewayIpv6) steps.push({ op: 'default-route', iface, via: p.gatewayIpv6, ipv6: true });
    if (p.dhcp) steps.push({ op: 'dhcp', iface, args: dhcpArgs(iface, cfg?.dhcp_args, warnings) });
    if (p.dhcpv6) steps.push({ op: 'dhcpv6', iface });
  }
  steps.push(...commands(cfg?.post_up).map((command): NetStep => ({ op: 'run', hook: 'post_up', iface, command })));
  return steps;
}

function dhcpArgs(iface: string, spec: string | undefined, warnings: string[]): string[] {
  const args = splitArgs(spec ?? '');
  if (args[0] === 'dhcpcd' || args[0]?.endsWith('/dhcpcd')) {
    warnings.push(`${iface}: dhcp_args is a dhcpcd command line; ros runs udhcpc, so it is ignored`);
    return [];
  }
  return args;
}

/** What to do with resolvers: see DnsConfig in types.ts. */
export function planDns(net: NetworkConfig = {}): DnsPlan {
  const ns = net.dns?.nameservers ?? [];
  const search = net.dns?.search ?? [];
  const override = net.dns?.override ?? true;
  const resolvConf = ns.length === 0 ? null : `${search.length ? `search ${search.join(' ')}\n` : ''}${ns.map((n) => `nameserver ${n}`).join('\n')}\n`;
  return { resolvConf, static: ns.length > 0 && override, search, fallback: override ? [] : ns };
}

/** The steps of one kind, in plan order. */
export function stepsOf<Op extends NetStep['op']>(plan: NetworkPlan, op: Op): Extract<NetStep, { op: Op }>[] {
  return plan.steps.filter((s): s is Extract<NetStep, { op: Op }> => s.op === op);
}
