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
  await container.start();
  if (isOneShot(svc)) {
    const res = (await container.wait()) as { StatusCode: number };
    if (res.StatusCode !== 0) return { name, ok: false, action: 'failed', error: `one-shot exited with code ${res.StatusCode}` };
    return { name, ok: true, action: 'completed' };
  }
  return { name, ok: true, action };
}

/** Starts `services` in dependency order; a failed service fails only its dependents. */
export async function upServices(docker: Docker, services: ServiceMap, log: Logger, vars: Record<string, string> = {}): Promise<ServiceOutcome[]> {
  const order = startOrder(services);
  for (const p of order.problems) log.error(`services: ${p.message}`);
  const outcomes = new Map<string, ServiceOutcome>();
  for (const group of order.groups) {
    await Promise.all(
      group.map(async (name) => {
        const svc = services[name];
        if (!svc) return;
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
        } catch (err) {
          const error = (err as Error).message;
          outcomes.set(name, { name, ok: false, action: 'failed', error });
          log.error(`service[${name}]: failed: ${error}`);
        }
      }),
    );
  }
  return [...outcomes.values()];
}
