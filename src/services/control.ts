// What `ros service` does to running services, on the daemon of each
// service's scope. Plain functions: the CLI passes the clients in.
import type Docker from 'dockerode';
import type { Logger } from '../log/logger';
import type { ServiceMap } from '../config/service-types';
import { scopeOf } from './labels';
import { upServices, type ServiceOutcome } from './runner';

export interface Daemons {
  system: Docker;
  user: Docker;
}

export function daemonFor(d: Daemons, services: ServiceMap, name: string): Docker {
  const svc = services[name];
  return svc && scopeOf(svc) === 'user' ? d.user : d.system;
}

/** Reconciles the named services (all when none named) on their daemons. */
export async function up(d: Daemons, services: ServiceMap, names: string[], log: Logger, vars: Record<string, string>): Promise<ServiceOutcome[]> {
  const only = names.length > 0 ? new Set(names) : undefined;
  const ofScope = (scope: 'system' | 'user') => Object.fromEntries(Object.entries(services).filter(([, s]) => scopeOf(s) === scope));
  // Order over every enabled service of the scope; act on the named ones only.
  return [...(await upServices(d.system, ofScope('system'), log, vars, only)), ...(await upServices(d.user, ofScope('user'), log, vars, only))];
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
      const state = await c.inspect().then((i) => i.State).catch(() => null);
      if (!state) return;
      if (state.Running) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
