// RancherOS' standard volume containers (pure). RancherOS service files mount
// the host through `volumes_from: [all-volumes]` (or command-, system-, user-,
// media-volumes): createonly containers that RancherOS kept in system-docker
// only to hold bind mounts. ros has no such containers; a reference to one is
// replaced by the binds it stood for, so the service sees the same host paths
// in either daemon. A service map that defines a container of that name itself
// keeps its own. docs/architecture.md, "Services".
import type { ComposeService, ServiceMap } from '../config/service-types';

const COMMAND = ['/usr/bin/ros:/usr/bin/ros:ro', '/usr/bin/docker:/usr/bin/docker:ro'];
const SYSTEM = [
  '/dev:/host/dev',
  '/etc/hosts:/etc/hosts',
  '/etc/resolv.conf:/etc/resolv.conf',
  '/lib/modules:/lib/modules:ro',
  '/usr/share/ros:/usr/share/ros:ro',
  '/var/lib/rancher:/var/lib/rancher',
  '/var/log:/var/log',
  '/var/run:/var/run',
];
const USER = ['/home:/home', '/opt:/opt'];
// rslave, not RancherOS' shared: a disk mounted later under /mnt still shows, and it
// works in the user Docker too, whose /mnt is itself a slave of the host's.
const MEDIA = ['/media:/media:rslave', '/mnt:/mnt:rslave'];

export const VOLUME_SETS: Readonly<Record<string, readonly string[]>> = {
  'command-volumes': COMMAND,
  'system-volumes': SYSTEM,
  'user-volumes': USER,
  'media-volumes': MEDIA,
  'all-volumes': [...COMMAND, ...SYSTEM, ...USER, ...MEDIA],
};

/** `svc` with its references to the standard volume containers turned into binds; a bind it has for a target already wins. */
export function expandVolumeSets(svc: ComposeService, defined: ReadonlySet<string>): ComposeService {
  const sets = (svc.volumes_from ?? []).filter((r) => Object.hasOwn(VOLUME_SETS, r) && !defined.has(r));
  if (sets.length === 0) return svc;
  const target = (v: string) => v.split(':')[1] ?? v;
  const own = new Set((svc.volumes ?? []).map(target));
  const added = sets.flatMap((s) => VOLUME_SETS[s] ?? []).filter((v) => !own.has(target(v)) && (own.add(target(v)), true));
  const rest = (svc.volumes_from ?? []).filter((r) => !sets.includes(r));
  const { volumes_from: _, ...without } = svc;
  return { ...without, volumes: [...(svc.volumes ?? []), ...added], ...(rest.length > 0 ? { volumes_from: rest } : {}) };
}

/** Every service of the map, expanded. */
export function expandAllVolumeSets(services: ServiceMap): ServiceMap {
  const defined = new Set(Object.keys(services));
  return Object.fromEntries(Object.entries(services).map(([n, s]) => [n, expandVolumeSets(s, defined)]));
}
