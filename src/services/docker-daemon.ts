// rancher.docker / rancher.system_docker: the daemon settings of a RancherOS
// cloud-config, as dockerd arguments and environment (pure).
import type { DockerDaemonConfig, NetworkConfig, RancherConfig } from '../config/types';
import type { ComposeService } from '../config/service-types';
import { TLS_DIR } from '../config/paths';
import { shellSplit } from './shell-words';

/** dockerd's TLS arguments by default: the files ensureDockerTls() keeps in TLS_DIR, the API on every address at 2376. */
export const DEFAULT_TLS_ARGS = [
  '--tlsverify',
  `--tlscacert=${TLS_DIR}/ca.pem`,
  `--tlscert=${TLS_DIR}/server-cert.pem`,
  `--tlskey=${TLS_DIR}/server-key.pem`,
  '-H=0.0.0.0:2376',
];

/** Pure: dockerd arguments for the settings, the user's extra_args last so they can override. */
export function daemonArgs(cfg: DockerDaemonConfig = {}): string[] {
  const mirrors = (cfg.registry_mirror ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  return [
    ...mirrors.map((m) => `--registry-mirror=${m}`),
    ...(cfg.insecure_registry ?? []).map((r) => `--insecure-registry=${r}`),
    ...(cfg.bip ? [`--bip=${cfg.bip}`] : []),
    ...Object.entries(cfg.log_opts ?? {}).map(([k, v]) => `--log-opt=${k}=${v}`),
    ...(cfg.tls ? (cfg.tls_args ?? DEFAULT_TLS_ARGS) : []),
    ...(cfg.extra_args ?? []),
  ];
}

function envEntries(env: ComposeService['environment']): string[] {
  if (!env) return [];
  if (Array.isArray(env)) return env;
  return Object.entries(env).map(([k, v]) => (v === null ? k : `${k}=${String(v)}`));
}

/** Pure: the user Docker service with rancher.docker applied to its command and environment. */
export function withDaemonSettings(svc: ComposeService, cfg: DockerDaemonConfig | undefined): ComposeService {
  const args = daemonArgs(cfg);
  const env = cfg?.environment ?? [];
  if (args.length === 0 && env.length === 0) return svc;
  const command = typeof svc.command === 'string' ? shellSplit(svc.command) : [...(svc.command ?? [])];
  return { ...svc, command: [...command, ...args], environment: [...envEntries(svc.environment), ...env] };
}

/** Pure: rancher.network's proxies as environment, in both spellings (Go reads upper case, many tools lower). */
export function proxyEnv(net: NetworkConfig = {}): string[] {
  const out: string[] = [];
  for (const [key, value] of [['HTTP_PROXY', net.http_proxy], ['HTTPS_PROXY', net.https_proxy], ['NO_PROXY', net.no_proxy]] as const) {
    if (value) out.push(`${key}=${value}`, `${key.toLowerCase()}=${value}`);
  }
  return out;
}

/** Pure: the settings of one daemon (`docker` or `system_docker`), with the proxies before its own environment. */
export function daemonConfig(rancher: RancherConfig | undefined, which: 'docker' | 'system_docker'): DockerDaemonConfig {
  const cfg = rancher?.[which] ?? {};
  const proxies = proxyEnv(rancher?.network);
  return proxies.length > 0 ? { ...cfg, environment: [...proxies, ...(cfg.environment ?? [])] } : cfg;
}
