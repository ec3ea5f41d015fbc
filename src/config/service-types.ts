// docker-compose v1 service map, the subset ros runs, with RancherOS labels.
/** One service: a docker-compose v1 service definition (the subset ros runs). */
export interface ComposeService {
  /** Image to run, e.g. `ros/os-base:${ROS_VERSION}`. */
  image: string;
  /** Command run in the container: a string (split like a shell, quotes honoured) or an argv list. */
  command?: string | string[];
  /** Overrides the image entrypoint: a string or an argv list. */
  entrypoint?: string | string[];
  /** Environment: a `NAME=value` list or a map. A bare `NAME` (or `NAME:` with no value) copies it from rancher.environment; `AWS_*` copies every match. */
  environment?: string[] | Record<string, string | number | boolean | null>;
  /** Bind mounts and volumes, `source:target[:ro|rw]`. */
  volumes?: string[];
  /** Containers (or services) whose volumes are mounted too; RancherOS' `all-volumes`, `command-volumes`, `system-volumes`, `user-volumes` and `media-volumes` stand for the host paths they held. */
  volumes_from?: string[];
  /** Published ports, `[ip:]host:container[/tcp|udp]` or a bare container port. */
  ports?: string[];
  /** Links to other containers on the default bridge, `name[:alias]`. */
  links?: string[];
  /** Run with all capabilities and devices of the host. */
  privileged?: boolean;
  /** PID namespace: `host` to share the host's. */
  pid?: string;
  /** Network mode, compose v1 spelling (`host`, `none`, `container:<name>`). */
  net?: string;
  /** Network mode, compose v2 spelling; same values as `net`. */
  network_mode?: string;
  /** IPC namespace: `host` to share the host's. */
  ipc?: string;
  /** UTS namespace: `host` to share the host name. */
  uts?: string;
  /** Restart policy: `no`, `always`, `on-failure[:n]` or `unless-stopped`. */
  restart?: string;
  /** Labels, as a map or a `key=value` list; `io.rancher.os.*` labels steer ros. */
  labels?: Record<string, string> | string[];
  /** Host devices exposed to the container, `host[:container[:perms]]`. */
  devices?: string[];
  /** Capabilities added, e.g. `NET_ADMIN`. */
  cap_add?: string[];
  /** Capabilities dropped. */
  cap_drop?: string[];
  /** Allocate a pseudo-tty. */
  tty?: boolean;
  /** Keep stdin open. */
  stdin_open?: boolean;
  /** Working directory inside the container. */
  working_dir?: string;
  /** User (name or uid[:gid]) the command runs as. */
  user?: string;
  /** Mount the container's root filesystem read-only. */
  read_only?: boolean;
  /** Health check; a service with one holds its dependents until healthy (or its time is up). */
  healthcheck?: HealthCheck;
  /** Resource limits, e.g. `nofile: {soft: 1024, hard: 4096}` or `nproc: 512`. */
  ulimits?: Record<string, number | Ulimit>;
  /** Docker log driver, e.g. `json-file`. */
  log_driver?: string;
  /** Options of the log driver, e.g. `max-size: 10m`. */
  log_opt?: Record<string, string>;
}

/** A soft and a hard limit. */
export interface Ulimit {
  /** Soft limit. */
  soft: number;
  /** Hard limit. */
  hard: number;
}

/** docker-compose healthcheck; durations like `30s`, `1m30s`, `500ms`. */
export interface HealthCheck {
  /** `["CMD", "prog", "arg"]`, `["CMD-SHELL", "cmd"]`, `["NONE"]` or a shell string. */
  test?: string | string[];
  /** Time between checks (default 30s). */
  interval?: string;
  /** Time one check may take (default 30s). */
  timeout?: string;
  /** Consecutive failures that make it unhealthy (default 3). */
  retries?: number;
  /** Grace period after start during which failures do not count (default 0s). */
  start_period?: string;
  /** Turn off a health check the image defines. */
  disable?: boolean;
}

/** Services by name. */
export type ServiceMap = Record<string, ComposeService>;

export const LABEL = {
  scope: 'io.rancher.os.scope',
  after: 'io.rancher.os.after',
  before: 'io.rancher.os.before',
  detach: 'io.rancher.os.detach',
  createonly: 'io.rancher.os.createonly',
  /** ros' own: "true" = the boot cannot go on without it (recovery shell if it fails). */
  essential: 'io.rancher.os.essential',
  /** `always` (or `true`): recreate the container at every up, as docker-compose's label did. */
  rebuild: 'io.docker.compose.rebuild',
  /** ros' own: hash of the definition a container was created from. */
  hash: 'io.rancher.os.hash',
} as const;
