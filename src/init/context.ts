// What the boot stages share. Filled in as the boot goes on.
import type { Logger } from '../log/logger';
import type { Cmdline } from '../config/cmdline';
import type { ServiceMap } from '../config/service-types';
import type { RosConfig } from '../config/types';
import type { SystemDockerProcess } from './system-docker';
import type { TrialGuard } from './slot-boot';

export interface BootContext {
  log: Logger;
  /** The sanitised environment every child gets. */
  env: Record<string, string>;
  /** The kernel command line, parsed once in the cmdline stage; every later reader uses this. */
  cmdline: Cmdline;
  config: RosConfig;
  /** The enabled services (config, catalogue, files), resolved once per config load by the services stage. */
  services?: ServiceMap;
  /** Where persistent state lives this boot. */
  state: 'ram' | 'disk';
  systemDocker?: SystemDockerProcess;
  /** The datasource instance of this boot; isNew: per-instance modules still have to run. */
  instance?: { id: string; source: string; isNew: boolean; sshKeys?: string[] };
  /** Set on a trial boot of a new slot (docs/architecture.md, "Upgrades and rollback"). */
  trial?: TrialGuard | null;
  /** Set once a stage failed under `fatal`, or a task found the boot unable to go on. */
  fatal?: string;
}
