// What `ros service ps` shows, read from a daemon.
import type Docker from 'dockerode';
import { orNotFound } from './observe';

export interface ServiceRow {
  name: string;
  scope: 'system' | 'user';
  state: string;
  health: string;
  restarts: number;
  status: string;
  image: string;
}

export async function listServiceContainers(docker: Docker, all: boolean, scope: 'system' | 'user'): Promise<ServiceRow[]> {
  // User-scope services are the user daemon's containers that ros created (compose project "os").
  const filters = scope === 'user' ? { label: ['com.docker.compose.project=os'] } : undefined;
  const containers = await docker.listContainers({ all, ...(filters ? { filters } : {}) });
  const rows = await Promise.all(
    containers.map(async (c) => {
      const info = await orNotFound(docker.getContainer(c.Id).inspect()); // gone since listed: no details
      return {
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        scope,
        state: c.State,
        health: info?.State.Health?.Status ?? '-',
        restarts: info?.RestartCount ?? 0,
        status: c.Status,
        image: c.Image,
      };
    }),
  );
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
