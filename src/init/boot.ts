// The whole boot, in order of dependency. Reading this file tells you what
// PID 1 does (docs/architecture.md, "The boot"): each stage names what it
// needs and starts as soon as that has ended, beside whatever else may run;
// `after` holds the hooks that must follow a stage before anything that
// needs it starts. boot-complete follows the last stage.
import type { Stage } from './stage';
import { mountPseudoFs } from './stages/pseudo-fs';
import { mountCgroups } from './stages/cgroups';
import {
  loadBootModules, loadConfigModules, loadPresentHardware, loadDriverModules, loadNetfilterModules, noHugePages, quietConsole, readCmdline,
} from './stages/kernel';
import { loadLayeredConfig } from './stages/config';
import { stateDisk } from './stages/storage';
import { rootImage } from './stages/root-image';
import { hideInitArgs, hostname } from './stages/host';
import { network } from './stages/network';
import { datasource } from './stages/datasource';
import { bootcmd, mounts, sysctl } from './stages/per-boot';
import { perInstance } from './stages/per-instance';
import { loadSystemImages, preloadUserImages, startSystemDockerTask, startSystemServices, startUserServices, waitUserDocker } from './stages/docker';
import {
  checkStateFormat, ctrlAltDelSignal, guardTrialTask, logLevel, openLog, recoveryRequested, slotBoot, startReaperTask, watchPowerButtonTask,
} from './stages/hooks';

const MINUTES = 60_000;

export const BOOT: Stage[] = [
  // Without /proc, /dev and /run nothing else can work: fatal. init-start anchors the timeline to uptime.
  { name: 'early', needs: [], onError: 'fatal', tasks: [mountPseudoFs], after: [openLog, startReaperTask, ctrlAltDelSignal], milestone: 'init-start' },
  { name: 'cmdline', needs: ['early'], onError: 'warn', tasks: [readCmdline], after: [guardTrialTask] },
  { name: 'kernel', needs: ['cmdline'], onError: 'warn', tasks: [quietConsole, noHugePages, mountCgroups, loadBootModules, loadPresentHardware] },
  // The modules the state disk does not need load in turns, beside the waits for a disk
  // and a lease (src/sys/modules.ts).
  { name: 'drivers', needs: ['kernel'], onError: 'warn', tasks: [loadDriverModules], after: [watchPowerButtonTask] },
  // Fatal only when rancher.state.required and no disk: RAM is the fallback otherwise.
  // fsck of a large disk may take long; a trial boot's own deadline still applies.
  {
    name: 'storage', needs: ['kernel'], onError: 'fatal', tasks: [stateDisk], timeoutMs: 20 * MINUTES,
    after: [openLog, slotBoot, checkStateFormat],
  },
  { name: 'config', needs: ['storage'], onError: 'warn', tasks: [loadLayeredConfig], after: [logLevel, recoveryRequested] },
  { name: 'network', needs: ['config', 'drivers'], onError: 'warn', tasks: [network] },
  // User-data from config-drive, NoCloud, a URL, a cloud's metadata service: a valid cloud-config becomes a layer.
  { name: 'datasource', needs: ['network'], onError: 'warn', tasks: [datasource], after: [logLevel] },
  // Per-boot cloud-config modules; the hostname and mounts may come from user-data.
  { name: 'host', needs: ['datasource'], onError: 'warn', tasks: [hostname, hideInitArgs, loadConfigModules, sysctl, mounts] },
  // User commands: each has its own limit (src/init/cloud-init/commands.ts); the stage may hold several.
  { name: 'bootcmd', needs: ['host'], onError: 'warn', tasks: [bootcmd], timeoutMs: 60 * MINUTES },
  // No system Docker, no services: fatal, into the recovery shell. After bootcmd, as documented
  // (docs/cloud-config.md), and so after the datasource, whose user-data may set rancher.system_docker.
  { name: 'system-docker', needs: ['bootcmd'], onError: 'fatal', tasks: [startSystemDockerTask], milestone: 'system-docker-ready' },
  { name: 'system-images', needs: ['system-docker'], onError: 'warn', tasks: [loadSystemImages] },
  // Only the user dockerd needs these. Each load blocks PID 1, so they wait for system-docker-ready:
  // loaded before it, beside a CPU-bound boot, they only delayed it.
  { name: 'netfilter-modules', needs: ['system-docker'], onError: 'warn', tasks: [loadNetfilterModules] },
  // The console and the user Docker start together (src/services/runner.ts).
  // A service's health check may hold its dependents for minutes (src/services/health.ts).
  { name: 'services', needs: ['system-images', 'netfilter-modules'], onError: 'warn', tasks: [startSystemServices], milestone: 'services-started', timeoutMs: 15 * MINUTES },
  // user-docker-ready: the user dockerd answers. Its images and services follow, before boot-complete.
  { name: 'user-docker', needs: ['services'], onError: 'warn', tasks: [waitUserDocker], milestone: 'user-docker-ready' },
  // With a state disk, the root image is read from there and its RAM copy freed; a first boot
  // of a release copies it, after user-docker-ready so no milestone before boot-complete waits.
  { name: 'root-image', needs: ['user-docker'], onError: 'warn', tasks: [rootImage] },
  { name: 'user-images', needs: ['user-docker'], onError: 'warn', tasks: [preloadUserImages] },
  // User services may run a preloaded image.
  { name: 'user-services', needs: ['user-images'], onError: 'warn', tasks: [startUserServices], timeoutMs: 15 * MINUTES },
  // Per-instance cloud-config modules, once per datasource instance-id: after the system services
  // (runcmd's contract); write_files may name a user service's container, and runcmd may run busybox.
  { name: 'cloud-init', needs: ['services', 'user-services'], onError: 'warn', tasks: [perInstance], timeoutMs: 60 * MINUTES },
];
