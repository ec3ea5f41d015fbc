// What the boot stages share. Filled in as the boot goes on.
import type { Logger } from '../log/logger';
import type { Cmdline } from '../config/cmdline';
import type { ServiceMap } from '../config/service-types';
import type { RosConfig } from '../config/types';
import type { SystemDockerProcess } from './system-docker';

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
  /** Set once the first stage with a fatal failure ran. */
  fatal?: string;
}
