// A real dockerd for host integration tests: the engine from the image's own
// Debian packages (build/pkgs, made by `make image`), on a private socket, with
// no bridge and no iptables so it leaves the host alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAt, waitForDocker, type DockerClient } from '../../src/docker/clients';

export const ROOT = join(__dirname, '..', '..');
const PKGS = join(ROOT, 'build/pkgs');

export interface TestDaemon {
  docker: DockerClient;
  socket: string;
  stop(): Promise<void>;
}

export async function startDockerd(): Promise<TestDaemon> {
  const bins = [join(PKGS, 'docker.io/usr/sbin'), join(PKGS, 'docker.io/usr/bin'), join(PKGS, 'containerd/usr/bin'), join(PKGS, 'runc/usr/sbin')];
  if (!existsSync(join(bins[0] ?? '', 'dockerd'))) throw new Error('build/pkgs has no dockerd: run `make image` first');
  const dir = mkdtempSync(join(tmpdir(), 'ros-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const child: ChildProcess = spawn(
    'dockerd',
    [`--host=unix://${socket}`, `--data-root=${dir}/data`, `--exec-root=${dir}/exec`, `--pidfile=${dir}/docker.pid`, '--bridge=none', '--iptables=false', '--ip-masq=false', '--log-level=warn'],
    { env: { ...process.env, PATH: `${bins.join(':')}:${process.env.PATH}` }, stdio: 'ignore' },
  );
  let alive = true;
  child.once('exit', () => (alive = false));
  await waitForDocker(socket, 60_000, () => alive);
  return {
    docker: dockerAt(socket),
    socket,
    async stop() {
      if (alive) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
