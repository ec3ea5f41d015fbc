// docker-compose v1 service map, the subset ros runs, with RancherOS labels.
export interface ComposeService {
  image: string;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: string[] | Record<string, string | number | boolean | null>;
  volumes?: string[];
  volumes_from?: string[];
  privileged?: boolean;
  pid?: string;
  net?: string;
  network_mode?: string;
  ipc?: string;
  uts?: string;
  restart?: string;
  labels?: Record<string, string> | string[];
  devices?: string[];
  cap_add?: string[];
  cap_drop?: string[];
  tty?: boolean;
  stdin_open?: boolean;
  working_dir?: string;
  user?: string;
  read_only?: boolean;
}

export type ServiceMap = Record<string, ComposeService>;

export const LABEL = {
  scope: 'io.rancher.os.scope',
  after: 'io.rancher.os.after',
  before: 'io.rancher.os.before',
  detach: 'io.rancher.os.detach',
  createonly: 'io.rancher.os.createonly',
  /** ros' own: hash of the definition a container was created from. */
  hash: 'io.rancher.os.hash',
} as const;
