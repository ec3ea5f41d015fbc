// What `ros service` does to running services, on the daemon of each
// service's scope. Plain functions: the CLI passes the clients in.
import type Docker from 'dockerode';
import type { Logger } from '../log/logger';
import type { ServiceMap } from '../config/service-types';
import { ofScope, reachedBefore } from './catalogue';
import { scopeOf } from './labels';
import type { Action } from './plan';
import { orNotFound } from './observe';
import { applyPlan, planServices, type ServiceOutcome } from './runner';

export interface Daemons {
  system: Docker;
  user: Docker;
}

export function daemonFor(d: Daemons, services: ServiceMap, name: string): Docker {
  const svc = services[name];
  return svc && scopeOf(svc) === 'user' ? d.user : d.system;
}

export type ScopedAction = Action & { scope: 'system' | 'user' };

/**
 * The plan for the named services (all enabled ones when none named, and
 * then containers of services no longer enabled are removed too), per scope.
 */
export async function planUp(d: Daemons, services: ServiceMap, names: string[]): Promise<ScopedAction[]> {
  const opts = { only: names.length > 0 ? new Set(names) : undefined, prune: names.length === 0 };
  const out: ScopedAction[] = [];
  for (const scope of ['system', 'user'] as const) {
    // Order over every enabled service of the scope; act on the named ones only.
    const actions = await planServices(scope === 'system' ? d.system : d.user, ofScope(services, scope), opts);
    out.push(...actions.map((a) => ({ ...a, scope })));
  }
  return out;
}

/** Carries out planUp's plan. */
export async function up(d: Daemons, services: ServiceMap, actions: ScopedAction[], log: Logger, vars: Record<string, string>): Promise<ServiceOutcome[]> {
  const out: ServiceOutcome[] = [];
  for (const scope of ['system', 'user'] as const) {
    const mine = actions.filter((a) => a.scope === scope);
    const only = new Set(mine.map((a) => a.name));
    out.push(...(await applyPlan(scope === 'system' ? d.system : d.user, ofScope(services, scope), mine, log, { vars, only, reached: reachedBefore(services, scope) })));
  }
  return out;
}

export type ContainerAction = 'start' | 'stop' | 'restart' | 'down';

export async function act(docker: Docker, name: string, action: ContainerAction): Promise<void> {
  const c = docker.getContainer(name);
  if (action === 'start') await c.start();
  else if (action === 'stop') await c.stop({ t: 10 });
  else if (action === 'restart') await c.restart({ t: 10 });
  else await c.remove({ force: true });
}

/** Streams a container's logs to `out`; with follow, across restarts until interrupted. */
export async function logs(docker: Docker, name: string, opts: { follow: boolean; tail?: number }, out: NodeJS.WritableStream): Promise<void> {
  const c = docker.getContainer(name);
  const info = await c.inspect();
  const tty = info.Config.Tty;
  const demux = (stream: NodeJS.ReadableStream) => (tty ? stream.pipe(out, { end: false }) : docker.modem.demuxStream(stream, out, out));
  if (!opts.follow) {
    const buf = await c.logs({ stdout: true, stderr: true, follow: false, ...(opts.tail !== undefined ? { tail: opts.tail } : {}) });
    if (tty) out.write(buf);
    else {
      // Non-tty logs are multiplexed: 8-byte frame headers.
      for (let off = 0; off + 8 <= buf.length; ) {
        const len = buf.readUInt32BE(off + 4);
        out.write(buf.subarray(off + 8, off + 8 + len));
        off += 8 + len;
      }
    }
    return;
  }
  let since = 0;
  for (;;) {
    const stream = await c.logs({ stdout: true, stderr: true, follow: true, ...(!since && opts.tail !== undefined ? { tail: opts.tail } : {}), since });
    demux(stream);
    await new Promise((r) => stream.once('end', r));
    since = Math.floor(Date.now() / 1000);
    // A followed stream ends when the container stops; wait for it to run again.
    for (;;) {
      const state = await orNotFound(c.inspect()).then((i) => i?.State ?? null);
      if (!state) return;
      if (state.Running) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
