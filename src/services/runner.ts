// Brings services up on a daemon: observe what it has, plan (plan.ts), then
// apply the plan — removals first, then the services in dependency order,
// one-shots waited for, health checks holding their dependents. Failures are
// per service: a failed service fails only its dependents.
import type Docker from 'dockerode';
import type { Logger } from '../log/logger';
import type { ComposeService, ServiceMap } from '../config/service-types';
import { containerSpec } from './container-spec';
import { startOrder } from './order';
import { healthWaitMs } from './health';
import { desiredServices, observeContainers, orNotFound } from './observe';
import { plan, type Action } from './plan';

export interface ServiceOutcome {
  name: string;
  ok: boolean;
  action: 'created' | 'recreated' | 'started' | 'running' | 'completed' | 'removed' | 'failed' | 'skipped';
  error?: string;
}

export interface UpOptions {
  /** Variables for `${NAME}` in definitions (rancher.environment). */
  vars?: Record<string, string>;
  /** Act on these services only; the others are taken as they are (`ros service up NAME`). */
  only?: ReadonlySet<string>;
  /** Remove containers ros made for services not in `services` (a whole reconcile). */
  prune?: boolean;
  /** Names a service may be ordered after that are up already (default: the boot stages, order.ts). */
  reached?: ReadonlySet<string>;
}

/** What to do on `docker`, without doing it (`ros service up --dry-run`). */
export async function planServices(docker: Docker, services: ServiceMap, opts: UpOptions = {}): Promise<Action[]> {
  const [desired, observed] = await Promise.all([desiredServices(docker, services), observeContainers(docker)]);
  const actions = plan(desired, observed, { prune: Boolean(opts.prune) && !opts.only });
  return opts.only ? actions.filter((a) => opts.only?.has(a.name)) : actions;
}

const DONE: Record<Action['kind'], ServiceOutcome['action']> = {
  create: 'created', recreate: 'recreated', start: 'started', leave: 'running', remove: 'removed', fail: 'failed',
};

async function applyOne(docker: Docker, a: Action, svc: ComposeService, vars: Record<string, string>): Promise<ServiceOutcome> {
  const { name } = a;
  if (a.kind === 'fail') return { name, ok: false, action: 'failed', error: a.reason };
  if (a.kind === 'leave') return { name, ok: true, action: 'running' };
  if (a.kind === 'create' || a.kind === 'recreate') {
    if (a.kind === 'recreate') await orNotFound(docker.getContainer(name).remove({ force: true }));
    await docker.createContainer(containerSpec(name, svc, { hash: a.hash ?? '', vars }));
  }
  if (!a.start) return { name, ok: true, action: DONE[a.kind] };
  const container = docker.getContainer(name);
  // The services of one group start at once (docs/architecture.md, "Services"): on
  // Debian 12's kernel 6.1 with runc 1.1.5, two runc inits at once twice ended in a
  // soft lockup of both vCPUs, and starts went one at a time; the base moved on.
  await container.start();
  if (!a.wait) return { name, ok: true, action: DONE[a.kind] };
  const res = (await container.wait()) as { StatusCode: number };
  if (res.StatusCode !== 0) return { name, ok: false, action: 'failed', error: `one-shot exited with code ${res.StatusCode}` };
  return { name, ok: true, action: 'completed' };
}

async function healthOf(docker: Docker, name: string): Promise<string> {
  const info = await orNotFound(docker.getContainer(name).inspect());
  return info === null ? 'removed' : info.State.Health?.Status ?? 'none';
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

/** Carries out `actions` for `services` on `docker`. */
export async function applyPlan(docker: Docker, services: ServiceMap, actions: Action[], log: Logger, opts: UpOptions = {}): Promise<ServiceOutcome[]> {
  const outcomes = new Map<string, ServiceOutcome>();
  const byName = new Map(actions.map((a) => [a.name, a]));
  // Removals first: what is no longer wanted goes before anything new starts.
  await Promise.all(actions.filter((a) => a.kind === 'remove').map(async (a) => {
    try {
      await orNotFound(docker.getContainer(a.name).remove({ force: true }));
      outcomes.set(a.name, { name: a.name, ok: true, action: 'removed' });
      log.info(`service[${a.name}]: removed (${a.reason})`);
    } catch (err) {
      outcomes.set(a.name, { name: a.name, ok: false, action: 'failed', error: (err as Error).message });
      log.error(`service[${a.name}]: remove failed: ${(err as Error).message}`);
    }
  }));
  const order = startOrder(services, opts.reached);
  for (const p of order.problems) if (!opts.only || p.services.some((s) => opts.only?.has(s))) log.error(`services: ${p.message}`);
  for (const group of order.groups) {
    await Promise.all(group.map(async (name) => {
      const svc = services[name];
      const action = byName.get(name);
      if (!svc) return;
      if (!action) {
        outcomes.set(name, { name, ok: true, action: 'skipped' }); // not ours to touch (`up NAME`)
        return;
      }
      const blocked = [...(order.deps.get(name) ?? [])].filter((d) => !outcomes.get(d)?.ok);
      if (blocked.length > 0) {
        outcomes.set(name, { name, ok: false, action: 'skipped', error: `dependency failed: ${blocked.join(', ')}` });
        log.error(`service[${name}]: not started, dependency failed: ${blocked.join(', ')}`);
        return;
      }
      try {
        const out = await applyOne(docker, action, svc, opts.vars ?? {});
        outcomes.set(name, out);
        if (out.ok) log.info(`service[${name}]: ${out.action}${action.kind === 'leave' ? '' : ` (${action.reason})`}`);
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
    }));
  }
  return [...outcomes.values()].filter((o) => !opts.only || opts.only.has(o.name));
}

/** Observe, plan, apply: `services` on `docker` made to match their definitions. */
export async function upServices(docker: Docker, services: ServiceMap, log: Logger, opts: UpOptions = {}): Promise<ServiceOutcome[]> {
  return applyPlan(docker, services, await planServices(docker, services, opts), log, opts);
}
