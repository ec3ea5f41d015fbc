// A real dockerd of the image itself, run on the build machine: for the
// system image store the build ships ready to use (initramfs/build.ts) and
// for the host integration tests. The engine's binaries are Debian 13 builds
// that need Debian 13's libc, which the build machine need not have, so
// dockerd runs chrooted into the image's root tree, mounted read-only in a
// private mount namespace, with a directory of the caller's as /tmp. It
// needs root (mount namespaces, chroot).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerAt, waitForDocker, type DockerClient } from '../../src/docker/clients';

/** Runs in a new mount namespace: $1 the tree, $2 an empty mount point, $3 the directory; then the dockerd argv. */
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

export interface TreeDaemon {
  docker: DockerClient;
  socket: string;
  /** The directory that is /tmp to dockerd; its data root is `data` in it. */
  dir: string;
  /** Stops dockerd; `keep` leaves the directory in place for the caller. */
  stop(opts?: { keep?: boolean }): Promise<void>;
}

export interface TreeDockerdOptions {
  /** More dockerd arguments. */
  args?: string[];
  /** Fills the directory before dockerd starts. */
  prepare?: (dir: string) => void;
  /** More environment for dockerd. */
  env?: Record<string, string>;
}

export async function startTreeDockerd(tree: string, opts: TreeDockerdOptions = {}): Promise<TreeDaemon> {
  if (!existsSync(join(tree, 'usr/bin/dockerd'))) throw new Error(`${tree} has no dockerd: run \`make image\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'ros-dockerd-'));
  opts.prepare?.(dir);
  const root = mkdtempSync(join(tmpdir(), 'ros-dockerd-root-'));
  const socket = join(dir, 'docker.sock');
  const dockerd = ['/usr/bin/dockerd', '--host=unix:///tmp/docker.sock', '--data-root=/tmp/data', '--exec-root=/run/docker', '--pidfile=/run/docker.pid',
    '--bridge=none', '--iptables=false', '--ip-masq=false', '--log-level=warn', ...(opts.args ?? [])];
  // sh execs chroot, which execs dockerd: the child is dockerd itself, and
  // the namespace (with its mounts) ends with it.
  const child: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', CHROOT_SH, 'sh', tree, root, dir, ...dockerd], {
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  let alive = true;
  const exited = new Promise((r) => child.once('exit', r));
  child.once('exit', () => (alive = false));
  try {
    await waitForDocker(socket, 60_000, () => alive);
  } catch (err) {
    if (alive) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    docker: dockerAt(socket),
    socket,
    dir,
    async stop({ keep = false } = {}) {
      if (alive) {
        child.kill('SIGTERM');
        await exited;
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
