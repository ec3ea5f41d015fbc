// The cloud-config model. This file is the single source of truth for the
// keys ros understands (RancherOS-compatible names).
import type { ServiceMap } from './service-types';

export interface RosConfig {
  hostname?: string;
  ssh_authorized_keys?: string[];
  rancher?: RancherConfig;
}

export interface RancherConfig {
  /** tty names (e.g. ttyS0) that log in as root without a password. */
  autologin?: string | string[];
  /** Kernel modules to load at boot. */
  modules?: string[];
  services?: ServiceMap;
  services_include?: Record<string, boolean>;
  environment?: Record<string, string>;
  system_docker?: DockerDaemonConfig;
  docker?: DockerDaemonConfig;
  /** Drop to the recovery shell instead of booting. */
  recovery?: boolean;
  /** Seconds the shutdown may take before reboot(2) is forced. */
  shutdown_timeout?: number;
  state?: StateConfig;
  /** Images to preload into the user Docker on first boot. */
  preload_user_images?: string[];
}

export interface DockerDaemonConfig {
  extra_args?: string[];
  environment?: string[];
}

export interface StateConfig {
  /** Device of the state disk: a /dev path or LABEL=name (default LABEL=RANCHER_STATE). */
  dev?: string;
  /** Seconds to wait for the device to appear (default 2). */
  wait?: number;
  /** Devices formatted as the state disk, only when their first MiB is all zeros. */
  autoformat?: string[];
  /** Without a state disk, stop in the recovery shell instead of running from RAM. */
  required?: boolean;
}
