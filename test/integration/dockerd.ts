// A real dockerd for host integration tests: the engine of the image itself
// (build/trees/host, made by `make image`) on a private socket, with no bridge
// and no iptables so it leaves the host alone (initramfs/lib/tree-dockerd.ts).
import { join } from 'node:path';
import { startTreeDockerd, type TreeDaemon, type TreeDockerdOptions } from '../../initramfs/lib/tree-dockerd';

export const ROOT = join(__dirname, '..', '..');
const TREE = join(ROOT, 'build/trees/host');

export type TestDaemon = TreeDaemon;

export function startDockerd(opts: Omit<TreeDockerdOptions, 'env'> = {}): Promise<TestDaemon> {
  // The build machine's root may be anything; chroot needs no pivot_root.
  return startTreeDockerd(TREE, { ...opts, env: { DOCKER_RAMDISK: 'true' } });
}
