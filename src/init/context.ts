// What the boot stages share. Filled in as the boot goes on.
import type { Logger } from '../log/logger';
import type { RosConfig } from '../config/types';
import type { SystemDockerProcess } from './system-docker';

export interface BootContext {
  log: Logger;
  /** The sanitised environment every child gets. */
  env: Record<string, string>;
  /** Words before `--` (visible in /proc/cmdline) and after it (init only). */
  cmdline: { kernel: string[]; init: string[] };
  config: RosConfig;
  /** Where persistent state lives this boot. */
  state: 'ram' | 'disk';
  systemDocker?: SystemDockerProcess;
  /** The datasource instance of this boot; isNew: per-instance modules still have to run. */
  instance?: { id: string; source: string; isNew: boolean };
  /** Set once the first stage with a fatal failure ran. */
  fatal?: string;
}
