// What `ros service ps` shows, read from a daemon.
import type Docker from 'dockerode';

export interface ServiceRow {
  name: string;
  state: string;
  status: string;
  image: string;
}

export async function listServiceContainers(docker: Docker, all: boolean): Promise<ServiceRow[]> {
  const containers = await docker.listContainers({ all });
  return containers
    .map((c) => ({ name: (c.Names[0] ?? c.Id).replace(/^\//, ''), state: c.State, status: c.Status, image: c.Image }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
