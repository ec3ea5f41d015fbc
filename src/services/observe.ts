// What a daemon has (read only): its containers and the ids of the images
// services name, as plan() takes them. "No such container/image" is an
// answer; any other error (the daemon is down, a permission) is an error and
// is thrown, never read as "create it".
import type Docker from 'dockerode';
import { LABEL, type ServiceMap } from '../config/service-types';
import { definitionHash } from './container-spec';
import type { Desired, Observed } from './plan';

/** Docker's 404: the container or image does not exist. */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'statusCode' in err && err.statusCode === 404;
}

/** `p`'s value, or null when Docker answered 404. */
export async function orNotFound<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Every container of the daemon, running or not. */
export async function observeContainers(docker: Docker): Promise<Observed[]> {
  const containers = await docker.listContainers({ all: true });
  return containers.map((c) => ({
    name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    hash: c.Labels?.[LABEL.hash],
    running: c.State === 'running',
    state: c.State,
  }));
}

/** The services with the hash their containers must carry; null where the image is missing. */
export async function desiredServices(docker: Docker, services: ServiceMap): Promise<Desired[]> {
  const ids = new Map<string, Promise<string | null>>();
  const imageId = (image: string) => {
    let id = ids.get(image);
    if (!id) ids.set(image, (id = orNotFound(docker.getImage(image).inspect()).then((i) => i?.Id ?? null)));
    return id;
  };
  return Promise.all(
    Object.entries(services).sort(([a], [b]) => a.localeCompare(b)).map(async ([name, svc]) => {
      const id = await imageId(svc.image);
      return { name, svc, hash: id === null ? null : definitionHash(name, svc, id) };
    }),
  );
}
