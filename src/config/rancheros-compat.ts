// RancherOS keys ros does not implement (yet). An existing RancherOS
// cloud-config must still boot: these keys are dropped with a warning naming
// them, instead of failing the whole file as unknown keys do.
import type { Diagnostic } from './diagnostic';
import { isPlainObject } from './merge';

export const IGNORED_RANCHEROS_KEYS: readonly string[] = [
  'rancher.console',
  'rancher.upgrade',
  'rancher.bootstrap_docker',
  'rancher.resize_device',
  'rancher.debug',
  'rancher.defaults',
  'rancher.repositories',
  'rancher.hypervisor_service',
  'rancher.registry_auths',
  'rancher.disable',
  'rancher.docker.engine',
  'rancher.docker.tls',
  'rancher.docker.tls_args',
  'rancher.docker.storage_driver',
  'rancher.docker.server_cert',
  'rancher.docker.server_key',
  'rancher.docker.ca_cert',
  'rancher.docker.ca_key',
  'rancher.system_docker.storage_driver',
  'rancher.network.pre_cmds',
  'rancher.network.post_cmds',
  'rancher.network.dhcp_timeout',
];

/** Pure: a copy of `value` without the ignored keys, and one warning per key removed. */
export function dropIgnoredKeys(
  value: Record<string, unknown>,
  file: string,
  where: (path: string[]) => { line: number; column: number } | undefined,
): { value: Record<string, unknown>; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  const copy = structuredClone(value);
  for (const dotted of IGNORED_RANCHEROS_KEYS) {
    const path = dotted.split('.');
    const parent = path.slice(0, -1).reduce<unknown>((node, k) => (isPlainObject(node) ? node[k] : undefined), copy);
    const last = path[path.length - 1] ?? '';
    if (!isPlainObject(parent) || !(last in parent)) continue;
    delete parent[last];
    warnings.push({ code: 'ignored-key', message: 'RancherOS key not supported by ros: ignored', file, path: dotted, ...where(path) });
  }
  return { value: copy, warnings };
}
