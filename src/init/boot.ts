// The whole boot, in order. Reading this file tells you what PID 1 does.
import type { Stage } from './stage';
import { mountPseudoFs } from './stages/pseudo-fs';
import { mountCgroups } from './stages/cgroups';
import { loadBootModules, loadConfigModules, quietConsole, readCmdline } from './stages/kernel';
import { loadLayeredConfig } from './stages/config';
import { makeRootShared, stateDisk } from './stages/storage';
import { hostname } from './stages/host';
import { loadSystemImages, startSystemDockerTask, startSystemServices, waitUserDocker } from './stages/docker';

export interface BootStage extends Stage {
  /** Printed when the stage succeeds. */
  milestone?: string;
}

export const BOOT: BootStage[] = [
  // Without /proc, /dev and /run nothing else can work: fatal.
  { name: 'early', onError: 'fatal', tasks: [mountPseudoFs] },
  { name: 'cmdline', onError: 'warn', tasks: [readCmdline] },
  { name: 'kernel', onError: 'warn', tasks: [quietConsole, mountCgroups, loadBootModules, makeRootShared] },
  // Fatal only when rancher.state.required and no disk: RAM is the fallback otherwise.
  { name: 'storage', onError: 'fatal', tasks: [stateDisk] },
  { name: 'config', onError: 'warn', tasks: [loadLayeredConfig] },
  { name: 'host', onError: 'warn', tasks: [hostname, loadConfigModules] },
  // No system Docker, no services: fatal, into the recovery shell.
  { name: 'system-docker', onError: 'fatal', tasks: [startSystemDockerTask], milestone: 'system-docker-ready' },
  { name: 'system-images', onError: 'warn', tasks: [loadSystemImages] },
  { name: 'services', onError: 'warn', tasks: [startSystemServices], milestone: 'services-started' },
  { name: 'user-docker', onError: 'warn', tasks: [waitUserDocker], milestone: 'user-docker-ready' },
];
