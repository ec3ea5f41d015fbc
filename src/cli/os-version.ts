// `ros os version`: every version that makes up the running node, like
// `talosctl version` — ros itself, the Node inside the binary, the kernel,
// and what both Docker daemons report for the engine, containerd and runc.
import { release } from 'node:os';
import { SYSTEM_DOCKER_SOCK, USER_DOCKER_SOCK } from '../docker/clients';
import { engineVersion, type EngineVersion } from '../docker/engine-version';
import { commit, version } from '../version';
import { slotStatus, type SlotStatus } from '../upgrade/status';

export interface NodeVersions {
  version: string;
  commit: string;
  node: string;
  kernel: string;
  /** null when the daemon did not answer (not a ros node, or it is still starting) */
  systemDocker: EngineVersion | null;
  docker: EngineVersion | null;
  /** from the system daemon, else the user daemon */
  containerd: string | null;
  runc: string | null;
  /** why a daemon did not answer */
  unreachable: Record<string, string>;
  /** The A/B boot slots; null when this boot is not from an installed disk. */
  slots: SlotStatus | null;
}

function slotsOrNull(): SlotStatus | null {
  try {
    return slotStatus();
  } catch {
    return null;
  }
}

export async function collectVersions(
  sockets = { systemDocker: process.env.ROS_SYSTEM_DOCKER_SOCK ?? SYSTEM_DOCKER_SOCK, docker: process.env.ROS_USER_DOCKER_SOCK ?? USER_DOCKER_SOCK },
): Promise<NodeVersions> {
  const unreachable: Record<string, string> = {};
  const ask = async (name: string, sock: string): Promise<EngineVersion | null> => {
    try {
      return await engineVersion(sock);
    } catch (err) {
      unreachable[name] = `${sock}: ${(err as Error).message}`;
      return null;
    }
  };
  const [systemDocker, docker] = await Promise.all([ask('system-docker', sockets.systemDocker), ask('docker', sockets.docker)]);
  return {
    version,
    commit,
    node: process.version,
    kernel: release(),
    systemDocker,
    docker,
    containerd: systemDocker?.containerd ?? docker?.containerd ?? null,
    runc: systemDocker?.runc ?? docker?.runc ?? null,
    unreachable,
    slots: slotsOrNull(),
  };
}

/** Pure: the text table. */
export function renderVersions(v: NodeVersions): string[][] {
  const engine = (e: EngineVersion | null): string => (e ? `${e.version} (API ${e.apiVersion})` : 'not reachable');
  return [
    ['ros', `v${v.version} (${v.commit})`],
    ['node', v.node],
    ['kernel', v.kernel],
    ['system-docker', engine(v.systemDocker)],
    ['docker', engine(v.docker)],
    ['containerd', v.containerd ?? 'unknown'],
    ['runc', v.runc ?? 'unknown'],
    ...slotRows(v.slots),
  ];
}

/** Pure: the slot rows: which slot runs, what the other holds, how the last upgrade ended. */
function slotRows(s: SlotStatus | null): string[][] {
  if (!s) return [['slot', 'none (not booted from an A/B install)']];
  const notes = [s.default === s.slot ? 'default' : s.default ? `default is ${s.default}` : 'boot slots unreadable'];
  const other = s.otherVersion ? `v${s.otherVersion}` : 'empty';
  return [
    ['slot', `${s.slot} (${notes.join(', ')})`],
    ['other slot', `${s.other}: ${other}${s.trial === s.other ? ', armed for one trial boot' : ''}`],
    ['last upgrade', s.lastUpgradeText ?? 'none'],
  ];
}
