// Brings services up on a daemon: reconcile each container with its
// definition (reuse when unchanged, recreate when changed), start in
// dependency order, wait for one-shots. Failures are per service.
import type Docker from 'dockerode';
import type { Logger } from '../log/logger';
import type { ComposeService, ServiceMap } from '../config/service-types';
import { LABEL } from '../config/service-types';
import { containerSpec, definitionHash } from './container-spec';
import { isOneShot } from './labels';
import { startOrder } from './order';
import { healthWaitMs } from './health';

export interface ServiceOutcome {
  name: string;
  ok: boolean;
  action: 'created' | 'recreated' | 'started' | 'running' | 'completed' | 'failed' | 'skipped';
  error?: string;
}

async function imageIdOf(docker: Docker, image: string): Promise<string> {
  return (await docker.getImage(image).inspect()).Id;
}

async function existing(docker: Docker, name: string): Promise<Docker.ContainerInspectInfo | null> {
  try {
    return await docker.getContainer(name).inspect();
  } catch {
    return null;
  }
}

/**
 * Container starts go one at a time. Two runc inits at once ended twice in a
 * soft lockup of both vCPUs ("exe" = runc init cloning itself, runc 1.1.5,
 * kernel 6.1, QEMU/TCG, on a state-disk boot); the cause is not found, and
 * serialising the starts costs about a second of boot.
 */
let startQueue: Promise<unknown> = Promise.resolve();
function startOneAtATime(container: Docker.Container): Promise<unknown> {
  const started = startQueue.then(() => container.start());
  startQueue = started.catch(() => {});
  return started;
}

export async function upService(docker: Docker, name: string, svc: ComposeService, vars: Record<string, string>): Promise<ServiceOutcome> {
  const hash = definitionHash(name, svc, await imageIdOf(docker, svc.image));
  const current = await existing(docker, name);
  let action: ServiceOutcome['action'];
  if (current && current.Config.Labels?.[LABEL.hash] === hash) {
    if (current.State.Running) return { name, ok: true, action: 'running' };
    action = 'started';
  } else {
    if (current) await docker.getContainer(name).remove({ force: true });
    await docker.createContainer(containerSpec(name, svc, { hash, vars }));
    action = current ? 'recreated' : 'created';
  }
  const container = docker.getContainer(name);
  if (svc.labels && (Array.isArray(svc.labels) ? svc.labels.includes(`${LABEL.createonly}=true`) : svc.labels[LABEL.createonly] === 'true')) {
    return { name, ok: true, action };
  }
  await startOneAtATime(container);
  if (isOneShot(svc)) {
    const res = (await container.wait()) as { StatusCode: number };
    if (res.StatusCode !== 0) return { name, ok: false, action: 'failed', error: `one-shot exited with code ${res.StatusCode}` };
    return { name, ok: true, action: 'completed' };
  }
  return { name, ok: true, action };
}

async function healthOf(docker: Docker, name: string): Promise<string> {
  return (await docker.getContainer(name).inspect().catch(() => null))?.State.Health?.Status ?? 'none';
}

/**
 * Dependents of a service with a health check wait until it is healthy, but
 * not forever: after its checks had every chance, they start anyway and the
 * problem is reported.
 */
async function holdForHealth(docker: Docker, name: string, h: NonNullable<ComposeService['healthcheck']>, dependents: string[], log: Logger): Promise<void> {
  const limit = healthWaitMs(h);
  const deadline = Date.now() + limit;
  log.info(`service[${name}]: waiting for healthy before ${dependents.join(', ')}`);
  let status = await healthOf(docker, name);
  while (status !== 'healthy' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    status = await healthOf(docker, name);
  }
  if (status === 'healthy') log.info(`service[${name}]: healthy`);
  else log.warn(`service[${name}]: not healthy after ${Math.round(limit / 1000)} s (${status}); starting ${dependents.join(', ')} anyway`);
}

/**
 * Starts `services` in dependency order; a failed service fails only its
 * dependents. With `only`, just those are touched: the others are taken as
 * already running (`ros service up NAME`).
 */
export async function upServices(docker: Docker, services: ServiceMap, log: Logger, vars: Record<string, string> = {}, only?: ReadonlySet<string>): Promise<ServiceOutcome[]> {
  const order = startOrder(services);
  for (const p of order.problems) if (!only || p.services.some((s) => only.has(s))) log.error(`services: ${p.message}`);
  const outcomes = new Map<string, ServiceOutcome>();
  for (const group of order.groups) {
    await Promise.all(
      group.map(async (name) => {
        const svc = services[name];
        if (!svc) return;
        if (only && !only.has(name)) {
          outcomes.set(name, { name, ok: true, action: 'skipped' });
          return;
        }
        const blocked = [...(order.deps.get(name) ?? [])].filter((d) => !outcomes.get(d)?.ok);
        if (blocked.length > 0) {
          outcomes.set(name, { name, ok: false, action: 'skipped', error: `dependency failed: ${blocked.join(', ')}` });
          log.error(`service[${name}]: not started, dependency failed: ${blocked.join(', ')}`);
          return;
        }
        try {
          const out = await upService(docker, name, svc, vars);
          outcomes.set(name, out);
          if (out.ok) log.info(`service[${name}]: ${out.action}`);
          else log.error(`service[${name}]: ${out.error}`);
          const dependents = [...order.deps].filter(([, ds]) => ds.has(name)).map(([n]) => n);
          if (out.ok && svc.healthcheck && !svc.healthcheck.disable && dependents.length > 0) {
            await holdForHealth(docker, name, svc.healthcheck, dependents, log);
          }
        } catch (err) {
          const error = (err as Error).message;
          outcomes.set(name, { name, ok: false, action: 'failed', error });
          log.error(`service[${name}]: failed: ${error}`);
        }
      }),
    );
  }
  return [...outcomes.values()].filter((o) => !only || only.has(o.name));
}
