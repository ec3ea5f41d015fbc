// The whole boot, in order. Reading this file tells you what PID 1 does
// (docs/architecture.md, "The boot").
import type { Stage } from './stage';
import { mountPseudoFs } from './stages/pseudo-fs';
import { mountCgroups } from './stages/cgroups';
import { loadBootModules, loadConfigModules, quietConsole, readCmdline } from './stages/kernel';
import { loadLayeredConfig } from './stages/config';
import { stateDisk } from './stages/storage';
import { hideInitArgs, hostname } from './stages/host';
import { network } from './stages/network';
import { datasource } from './stages/datasource';
import { bootcmd, mounts, sysctl } from './stages/per-boot';
import { perInstance } from './stages/per-instance';
import { loadSystemImages, startSystemDockerTask, startSystemServices, waitUserDocker } from './stages/docker';

export interface BootStage extends Stage {
  /** Printed when the stage succeeds. */
  milestone?: string;
}

export const BOOT: BootStage[] = [
  // Without /proc, /dev and /run nothing else can work: fatal.
  { name: 'early', onError: 'fatal', tasks: [mountPseudoFs] },
  { name: 'cmdline', onError: 'warn', tasks: [readCmdline] },
  { name: 'kernel', onError: 'warn', tasks: [quietConsole, mountCgroups, loadBootModules] },
  // Fatal only when rancher.state.required and no disk: RAM is the fallback otherwise.
  { name: 'storage', onError: 'fatal', tasks: [stateDisk] },
  { name: 'config', onError: 'warn', tasks: [loadLayeredConfig] },
  { name: 'network', onError: 'warn', tasks: [network] },
  // User-data from config-drive, NoCloud, a URL…; a valid cloud-config becomes a layer.
  { name: 'datasource', onError: 'warn', tasks: [datasource] },
  // Per-boot cloud-config modules.
  { name: 'host', onError: 'warn', tasks: [hostname, hideInitArgs, loadConfigModules, sysctl, mounts] },
  { name: 'bootcmd', onError: 'warn', tasks: [bootcmd] },
  // No system Docker, no services: fatal, into the recovery shell.
  { name: 'system-docker', onError: 'fatal', tasks: [startSystemDockerTask], milestone: 'system-docker-ready' },
  { name: 'system-images', onError: 'warn', tasks: [loadSystemImages] },
  { name: 'services', onError: 'warn', tasks: [startSystemServices], milestone: 'services-started' },
  { name: 'user-docker', onError: 'warn', tasks: [waitUserDocker], milestone: 'user-docker-ready' },
  // Per-instance cloud-config modules: once per datasource instance-id.
  { name: 'cloud-init', onError: 'warn', tasks: [perInstance] },
];
