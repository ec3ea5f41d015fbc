// Stopping and removing what runs. The order comes from the containers
// themselves (ros copies a service's io.rancher.os.after/before labels onto
// its container), so shutdown stops what was started, not what the config
// says now.
import type Docker from 'dockerode';
import type { Logger } from '../log/logger';
import type { ServiceMap } from '../config/service-types';
import { orNotFound } from './observe';
import { startOrder } from './order';

/** Pure: running containers in stop order — dependents before what they depend on; groups stop in parallel. */
export function stopGroups(running: { name: string; labels: Record<string, string> }[]): string[][] {
  const asServices: ServiceMap = Object.fromEntries(running.map((c) => [c.name, { image: '', labels: c.labels }]));
  const order = startOrder(asServices);
  const placed = new Set(order.groups.flat());
  // Caught in a cycle: stopped first, together; nothing can be said about their order.
  const stuck = running.map((c) => c.name).filter((n) => !placed.has(n)).sort();
  return [...(stuck.length > 0 ? [stuck] : []), ...[...order.groups].reverse()];
}

/** Stops every running container of `docker`, in reverse dependency order. */
export async function stopRunning(docker: Docker, log: Logger, timeoutSec = 10): Promise<void> {
  const running = (await docker.listContainers()).map((c) => ({ name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels ?? {} }));
  for (const group of stopGroups(running)) {
    await Promise.all(group.map(async (name) => {
      try {
        await orNotFound(docker.getContainer(name).stop({ t: timeoutSec }));
        log.info(`stopped ${name}`);
      } catch (err) {
        log.warn(`stop ${name}: ${(err as Error).message}`);
      }
    }));
  }
  // A stop that failed (daemon busy, a 304 racing a restart) must not leave a
  // service running into the power-off: what still runs is killed, and said so.
  for (const c of await docker.listContainers()) {
    const name = (c.Names[0] ?? c.Id).replace(/^\//, '');
    log.warn(`${name} still runs after stop; killing it`);
    await orNotFound(docker.getContainer(c.Id).kill()).catch((err: unknown) => log.warn(`kill ${name}: ${(err as Error).message}`));
  }
}

/** Stops and removes a container; false when there was none. */
export async function removeContainer(docker: Docker, name: string): Promise<boolean> {
  return (await orNotFound(docker.getContainer(name).remove({ force: true }))) !== null;
}
