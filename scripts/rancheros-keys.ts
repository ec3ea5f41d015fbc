// Every cloud-config key and service label RancherOS (1.5, the last release,
// and keys earlier releases documented), and how ros treats each: implemented (ros' schema has it) or
// accepted with a warning (src/config/rancheros-compat.ts drops it), never
// note: a RancherOS file must still boot. `make schema` turns it into
// docs/rancheros-compat.md; a unit test fails when a key is neither.
import type { DropRule } from '../src/config/drop-keys';
import { IGNORED_RANCHEROS_KEYS } from '../src/config/rancheros-compat';
import { LABEL } from '../src/config/service-types';

/** A key as RancherOS named it; `*` is any map key or list item. */
interface RancherKey {
  key: string;
  /** Why ros does not implement it, for a key it only accepts with a warning. */
  note?: string;
}

const ENGINE = [
  'engine', 'tls', 'tls_args', 'args', 'extra_args', 'server_cert', 'server_key', 'ca_cert', 'ca_key', 'environment',
  'storage_context', 'exec', 'bridge', 'bip', 'config_file', 'containerd', 'debug', 'exec_root', 'group', 'graph', 'host',
  'live_restore', 'log_driver', 'log_opts', 'pid_file', 'registry_mirror', 'restart', 'selinux_enabled', 'storage_driver',
  'userland_proxy', 'insecure_registry',
];
const INTERFACE = [
  'match', 'dhcp', 'dhcp_args', 'address', 'addresses', 'ipv4ll', 'gateway', 'gateway_ipv6', 'mtu', 'bridge', 'bond',
  'bond_opts', 'post_up', 'pre_up', 'vlans', 'wifi_network',
];
const ENGINE_NOTE = 'give the dockerd flag in `extra_args` instead';
const NO_WIFI = 'no Wi-Fi or modem support: ros targets servers and VMs, and ships no wpa_supplicant or modem tools';

export const RANCHEROS_KEYS: readonly RancherKey[] = [
  ...['ssh_authorized_keys', 'hostname', 'mounts', 'runcmd', 'bootcmd'].map((key) => ({ key })),
  ...['path', 'content', 'encoding', 'owner', 'permissions', 'container'].map((k) => ({ key: `write_files.*.${k}` })),
  ...[
    'console', 'environment', 'services', 'bootstrap', 'cloud_init_services', 'bootstrap_docker', 'debug', 'rm_usr', 'no_sharedroot',
    'log', 'force_console_rebuild', 'recovery', 'disable', 'services_include', 'modules', 'repositories', 'registry_auths',
    'resize_device', 'sysctl', 'restart_services', 'hypervisor_service', 'shutdown_timeout', 'http_load_retries', 'preload_wait',
  ].map((k) => ({ key: `rancher.${k}` })),
  // Documented by earlier RancherOS releases, and still in configs written then.
  ...['rancher.default_network', 'rancher.docker.image', 'rancher.system_docker.image', 'rancher.state.formatzero'].map((key) => ({ key })),
  { key: 'rancher.autoformat', note: 'an early RancherOS map, replaced there by rancher.state.autoformat, which ros implements' },
  ...['url', 'image', 'rollback', 'policy'].map((k) => ({ key: `rancher.upgrade.${k}` })),
  ...ENGINE.map((k) => ({ key: `rancher.docker.${k}`, note: ENGINE_NOTE })),
  ...ENGINE.map((k) => ({ key: `rancher.system_docker.${k}`, note: ENGINE_NOTE })),
  ...['keys', 'daemon', 'port', 'listen_address'].map((k) => ({ key: `rancher.ssh.${k}` })),
  ...[
    'directory', 'fstype', 'dev', 'wait', 'required', 'autoformat', 'mdadm_scan', 'cryptsetup', 'lvm_scan', 'rngd', 'script',
    'oem_fstype', 'oem_dev',
  ].map((k) => ({ key: `rancher.state.${k}` })),
  ...['boot_fstype', 'boot_dev'].map((k) => ({ key: `rancher.state.${k}`, note: "ros' disks have no separate boot partition: the A/B boot slots live on RANCHER_STATE (docs/architecture.md, upgrades)" })),
  { key: 'rancher.cloud_init.datasources' },
  ...['hostname', 'docker', 'network', 'system_docker_logs'].map((k) => ({ key: `rancher.defaults.${k}` })),
  ...['pre_cmds', 'dhcp_timeout', 'dns', 'interfaces', 'post_cmds', 'http_proxy', 'https_proxy', 'no_proxy'].map((k) => ({ key: `rancher.network.${k}` })),
  ...['nameservers', 'search', 'override'].map((k) => ({ key: `rancher.network.dns.${k}` })),
  ...['wifi_networks', 'modem_networks'].map((k) => ({ key: `rancher.network.${k}`, note: NO_WIFI })),
  ...INTERFACE.map((k) => ({ key: `rancher.network.interfaces.*.${k}`, ...(k === 'wifi_network' ? { note: NO_WIFI } : {}) })),
];

/** Service labels RancherOS read, and what ros does with each that it does not implement. */
export const RANCHEROS_LABELS: readonly { label: string; note?: string }[] = [
  { label: 'io.rancher.os.scope' },
  { label: 'io.rancher.os.after' },
  { label: 'io.rancher.os.before' },
  { label: 'io.rancher.os.detach' },
  { label: 'io.rancher.os.createonly' },
  { label: 'io.docker.compose.rebuild' },
  { label: 'io.rancher.os.reloadconfig', note: 'kept as a Docker label, no effect: ros reads the config once per boot, before any service starts, so there is nothing to reload' },
  { label: 'io.rancher.os.console', note: 'kept as a Docker label, no effect: ros has one console service (RancherOS switched among console images with it)' },
  ...['name', 'net', 'fix_ip'].map((k) => ({ label: `io.rancher.user_docker.${k}`, note: "kept as a Docker label, no effect: RancherOS' docker-in-docker user engines are not in ros" })),
];

export type Verdict = { kind: 'implemented' } | { kind: 'warning'; note?: string } | { kind: 'unclassified' };

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}
export type Schema = SchemaNode & { definitions?: Record<string, SchemaNode> };

/** The schema nodes a key path leads to (several where anyOf/oneOf branch). */
function resolve(schema: Schema, path: string[], node: SchemaNode = schema): SchemaNode[] {
  let here = node;
  while (here.$ref) here = schema.definitions?.[here.$ref.replace('#/definitions/', '')] ?? {};
  const branches = [...(here.anyOf ?? []), ...(here.oneOf ?? [])];
  if (branches.length > 0) return branches.flatMap((b) => resolve(schema, path, b));
  const [head, ...rest] = path;
  if (head === undefined) return [here];
  const next = head === '*' ? (here.items ?? (typeof here.additionalProperties === 'object' ? here.additionalProperties : undefined)) : here.properties?.[head];
  return next ? resolve(schema, rest, next) : [];
}

/** Whether a drop rule covers `key`: the same key, or one of its parents (`*` matching any one part). */
function covers(r: DropRule, key: string): boolean {
  const rule = (typeof r === 'string' ? r : r.key).split('.');
  const parts = key.split('.');
  return rule.length <= parts.length && rule.every((p, i) => p === '*' || parts[i] === '*' || p === parts[i]);
}

export function classify(k: RancherKey, schema: Schema): Verdict {
  const rule = IGNORED_RANCHEROS_KEYS.find((r) => covers(r, k.key));
  const inSchema = resolve(schema, k.key.split('.')).length > 0;
  if (rule && typeof rule !== 'string') return { kind: 'warning', note: "RancherOS' form only; ros' own form is implemented" };
  if (rule) return { kind: 'warning', note: k.note };
  return inSchema ? { kind: 'implemented' } : { kind: 'unclassified' };
}

const IMPLEMENTED_LABELS = new Set<string>(Object.values(LABEL));

/** The Markdown page: one line per key and per label. */
export function compatPage(schema: Schema): string {
  const row = (k: RancherKey): string => {
    const v = classify(k, schema);
    const what =
      v.kind === 'implemented' ? 'implemented' : v.kind === 'warning' ? `accepted with a warning${v.note ? `: ${v.note}` : ''}` : 'UNCLASSIFIED';
    return `| \`${k.key}\` | ${what} |`;
  };
  const label = (l: { label: string; note?: string }): string => `| \`${l.label}\` | ${IMPLEMENTED_LABELS.has(l.label) ? 'implemented' : (l.note ?? 'UNCLASSIFIED')} |`;
  return [
    '<!-- Generated by scripts/gen-schema.ts from scripts/rancheros-keys.ts; do not edit. -->',
    '# RancherOS keys and labels in ros',
    '',
    'Every cloud-config key and service label of RancherOS 1.5 (and keys earlier releases documented), and what ros does with it.',
    '*Implemented* keys are in the [cloud-config reference](cloud-config.md). No RancherOS key fails a file: each',
    'one ros does not implement is dropped with a warning naming its file and line (`ros config validate` and the',
    'boot console both say so), so the rest of the file, its ssh keys above all, still applies. `*` is any name or item.',
    'A misspelt key still fails, with a did-you-mean.',
    '',
    '| key | in ros |',
    '|---|---|',
    ...RANCHEROS_KEYS.map(row),
    '',
    '| service label | in ros |',
    '|---|---|',
    ...RANCHEROS_LABELS.map(label),
    '',
  ].join('\n');
}
