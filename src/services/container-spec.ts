// compose service → Docker Engine API create options (pure).
import { createHash } from 'node:crypto';
import type { ContainerCreateOptions } from 'dockerode';
import { LABEL, type ComposeService } from '../config/service-types';
import { labelsOf, scopeOf } from './labels';
import { shellSplit } from './shell-words';
import { dockerHealthcheck } from './health';

const PROJECT = 'os';
/**
 * The OCI annotation by which containerd's runc shim serves several containers
 * from one process: system containers share one shim instead of one each
 * (~5 MiB apiece; docs/architecture.md, "Memory"). User containers keep theirs.
 */
const SHIM_GROUP = 'io.containerd.runc.v2.group';

function toArgv(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  return shellSplit(v);
}

/**
 * A container's environment. Variables in values were filled when the service
 * was loaded (interpolate.ts); here, as in compose and RancherOS, a bare name
 * (`- HTTP_PROXY`, or `HTTP_PROXY:` with no value) is copied from `vars`
 * (rancher.environment) and left out when not set there, and a wildcard
 * (`- AWS_*`) copies every variable it matches.
 */
export function envList(env: ComposeService['environment'], vars: Record<string, string> = {}): string[] {
  if (!env) return [];
  const copy = (name: string): string[] => {
    if (!name.includes('*')) return Object.hasOwn(vars, name) ? [`${name}=${vars[name]}`] : [];
    const glob = new RegExp(`^${name.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return Object.keys(vars).sort().filter((k) => glob.test(k)).map((k) => `${k}=${vars[k]}`);
  };
  if (Array.isArray(env)) return env.flatMap((e) => (e.includes('=') ? [e] : copy(e)));
  return Object.entries(env).flatMap(([k, v]) => (v === null ? copy(k) : [`${k}=${String(v)}`]));
}

function restartPolicy(restart: string | undefined): { Name: string; MaximumRetryCount?: number } {
  if (!restart || restart === 'no') return { Name: '' };
  const [name = '', count] = restart.split(':');
  return count ? { Name: name, MaximumRetryCount: parseInt(count, 10) } : { Name: name };
}

function splitVolumes(volumes: string[] = []): { binds: string[]; anonymous: Record<string, object> } {
  const binds: string[] = [];
  const anonymous: Record<string, object> = {};
  for (const v of volumes) {
    if (v.includes(':')) binds.push(v);
    else anonymous[v] = {};
  }
  return { binds, anonymous };
}

/** `ports:` as the Engine API wants them: what the container exposes, and what the host binds to each. */
export function portBindings(ports: string[] = []): { exposed: Record<string, object>; bindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of ports) {
    const [spec = p, proto = 'tcp'] = p.split('/');
    const parts = spec.split(':');
    const container = parts.pop() ?? spec;
    const host = parts.pop() ?? '';
    const ip = parts.join(':');
    const key = `${container}/${proto}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: ip, HostPort: host });
  }
  return { exposed, bindings };
}

/** Stable hash of what a container is made from; a change means recreate. */
export function definitionHash(name: string, svc: ComposeService, imageId: string): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical({ name, svc, imageId }))).digest('hex').slice(0, 16);
}

export function containerSpec(name: string, svc: ComposeService, opts: { hash: string; vars?: Record<string, string> }): ContainerCreateOptions {
  const { binds, anonymous } = splitVolumes(svc.volumes);
  const ports = portBindings(svc.ports);
  const labels = { ...labelsOf(svc), [LABEL.hash]: opts.hash, 'com.docker.compose.project': PROJECT, 'com.docker.compose.service': name };
  return {
    name,
    Image: svc.image,
    Cmd: toArgv(svc.command),
    Entrypoint: toArgv(svc.entrypoint),
    Env: envList(svc.environment, opts.vars),
    Labels: labels,
    Tty: svc.tty ?? false,
    OpenStdin: svc.stdin_open ?? false,
    WorkingDir: svc.working_dir,
    User: svc.user,
    Volumes: Object.keys(anonymous).length > 0 ? anonymous : undefined,
    Healthcheck: dockerHealthcheck(svc.healthcheck),
    ExposedPorts: svc.ports ? ports.exposed : undefined,
    HostConfig: {
      Binds: binds,
      VolumesFrom: svc.volumes_from,
      PortBindings: svc.ports ? ports.bindings : undefined,
      Links: svc.links,
      Privileged: svc.privileged ?? false,
      PidMode: svc.pid,
      NetworkMode: svc.network_mode ?? svc.net,
      IpcMode: svc.ipc,
      UTSMode: svc.uts,
      RestartPolicy: restartPolicy(svc.restart),
      CapAdd: svc.cap_add,
      CapDrop: svc.cap_drop,
      ReadonlyRootfs: svc.read_only,
      Ulimits: Object.entries(svc.ulimits ?? {}).map(([Name, v]) => (typeof v === 'number' ? { Name, Soft: v, Hard: v } : { Name, Soft: v.soft, Hard: v.hard })),
      LogConfig: svc.log_driver || svc.log_opt ? { Type: svc.log_driver ?? 'json-file', Config: svc.log_opt ?? {} } : undefined,
      Devices: (svc.devices ?? []).map((d) => {
        const [host = d, inContainer = host, perms = 'rwm'] = d.split(':');
        return { PathOnHost: host, PathInContainer: inContainer, CgroupPermissions: perms };
      }),
      // Engine API 1.43+; dockerode's types predate it.
      ...(scopeOf(svc) === 'system' ? { Annotations: { [SHIM_GROUP]: 'ros-system' } } : {}),
    },
  };
}
