// A real dockerd for host integration tests: the engine of the image itself,
// on a private socket, with no bridge and no iptables so it leaves the host
// alone. The engine's binaries are Debian 13 builds that need Debian 13's libc,
// which the build machine need not have, so dockerd runs chrooted into the
// image's root tree (build/trees/host, made by `make image`), mounted
// read-only in a private mount namespace, with the test's directory as /tmp.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAt, waitForDocker, type DockerClient } from '../../src/docker/clients';

export const ROOT = join(__dirname, '..', '..');
const TREE = join(ROOT, 'build/trees/host');

/** Runs in a new mount namespace: $1 the tree, $2 an empty mount point, $3 the test dir; then the dockerd argv. */
const CHROOT_SH = `set -e
tree=$1 root=$2 dir=$3; shift 3
mount --bind "$tree" "$root"
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount --bind "$dir" "$root/tmp"
exec chroot "$root" "$@"`;

export interface TestDaemon {
  docker: DockerClient;
  socket: string;
  stop(): Promise<void>;
}

export interface DockerdOptions {
  /** More dockerd arguments; the test's directory is /tmp to dockerd. */
  args?: string[];
  /** Fills the test's directory before dockerd starts. */
  prepare?: (dir: string) => void;
}

export async function startDockerd(opts: DockerdOptions = {}): Promise<TestDaemon> {
  if (!existsSync(join(TREE, 'usr/bin/dockerd'))) throw new Error('build/trees/host has no dockerd: run `make image` first');
  const dir = mkdtempSync(join(tmpdir(), 'ros-dockerd-'));
  opts.prepare?.(dir);
  const root = mkdtempSync(join(tmpdir(), 'ros-dockerd-root-'));
  const socket = join(dir, 'docker.sock');
  const dockerd = ['/usr/bin/dockerd', '--host=unix:///tmp/docker.sock', '--data-root=/tmp/data', '--exec-root=/run/docker', '--pidfile=/run/docker.pid',
    '--bridge=none', '--iptables=false', '--ip-masq=false', '--log-level=warn', ...(opts.args ?? [])];
  // sh execs chroot, which execs dockerd: the child is dockerd itself, and
  // the namespace (with its mounts) ends with it.
  const child: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', CHROOT_SH, 'sh', TREE, root, dir, ...dockerd], {
    // The image's root is an initramfs on a ros node; runc cannot pivot_root there either.
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', DOCKER_RAMDISK: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  let alive = true;
  child.once('exit', () => (alive = false));
  try {
    await waitForDocker(socket, 60_000, () => alive);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    docker: dockerAt(socket),
    socket,
    async stop() {
      if (alive) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
