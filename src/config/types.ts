// The cloud-config model: the single source of truth for the keys ros
// understands (RancherOS-compatible names). scripts/gen-schema.ts turns these
// interfaces and their doc comments into src/config/schema.json (what ajv
// validates with) and docs/cloud-config.md. Keep every key documented.
// A key tagged `@cmdlineOnly` is read from the kernel command line alone:
// the schema marks it, the docs say so, and validation warns when a file sets it.
import type { ServiceMap } from './service-types';

/** A cloud-config document (`#cloud-config`). */
export interface RosConfig {
  /** Host name, set on every boot. */
  hostname?: string;
  /** Public keys authorised to log in as `rancher` over ssh (once per instance). */
  ssh_authorized_keys?: string[];
  /** Files written once per instance. */
  write_files?: WriteFile[];
  /** Commands run once per instance, after the system services started. */
  runcmd?: Command[];
  /** Commands run on every boot, early (before system-docker). */
  bootcmd?: Command[];
  /** Filesystems mounted on every boot: `[device, mountpoint, fstype, options]`. */
  mounts?: string[][];
  /** ros' own settings. */
  rancher?: RancherConfig;
}

/** A command: a shell string (run with `sh -c`) or an argv list. */
export type Command = string | string[];

/** A file written by `write_files`. */
export interface WriteFile {
  /** Absolute path of the file. */
  path: string;
  /** The content, encoded as `encoding` says. */
  content?: string;
  /** How `content` is encoded. */
  encoding?: 'b64' | 'base64' | 'gzip' | 'gz' | 'gzip+base64' | 'gz+base64' | 'gzip+b64' | 'gz+b64' | 'text/plain';
  /** `user:group` or `user` (default root:root). */
  owner?: string;
  /** Octal mode as a string, e.g. `"0644"` (default 0644). */
  permissions?: string;
  /** Write the file inside this service's container (e.g. `console`) instead of on the host; the container's own users name the owner. */
  container?: string;
}

/** ros' own settings (`rancher:`), RancherOS names. */
export interface RancherConfig {
  /**
   * tty names (e.g. `ttyS0`) that log in as root without a password.
   * @cmdlineOnly
   */
  autologin?: string | string[];
  /** Password of the `rancher` user (console and ssh). */
  password?: string;
  /** Kernel modules loaded on every boot. */
  modules?: string[];
  /** sysctl settings applied on every boot, e.g. `net.ipv4.ip_forward: "1"`. */
  sysctl?: Record<string, string | number>;
  /** Variables substituted as `${NAME}` in service definitions. */
  environment?: Record<string, string>;
  /** Service definitions (docker-compose v1 with `io.rancher.os.*` labels). */
  services?: ServiceMap;
  /** Catalogue services to enable (`true`) or disable (`false`). */
  services_include?: Record<string, boolean>;
  /**
   * Services restarted once `write_files` has run (once per instance, as write_files),
   * so a service re-reads a file written for it, e.g. `[ntp]`.
   */
  restart_services?: string[];
  /** Networking of the host. */
  network?: NetworkConfig;
  /** The ssh daemon of the console. */
  ssh?: SshConfig;
  /**
   * The RANCHER_STATE disk; read before any file, since the files live on it.
   * @cmdlineOnly
   */
  state?: StateConfig;
  /** Where first-boot user-data comes from. */
  cloud_init?: CloudInitConfig;
  /** The user Docker daemon. */
  docker?: DockerDaemonConfig;
  /** The system Docker daemon. */
  system_docker?: DockerDaemonConfig;
  /** Seconds the shutdown may take before reboot(2) is forced (default 60). */
  shutdown_timeout?: number;
  /** Stop the boot in the recovery shell. */
  recovery?: boolean;
  /** Logging of ros itself. */
  log?: LogConfig;
  /** Upgrades: `ros os upgrade`, channels, automatic updates. */
  upgrade?: UpgradeConfig;
  /** Join this node to a Docker Swarm of ros nodes, with no command typed on it. */
  swarm?: SwarmConfig;
}

/**
 * A Docker Swarm made of ros nodes (`rancher.swarm`), run by the user Docker.
 * A manager without `join` initialises the cluster; every other node fetches
 * its join token from a manager in `join`, proving it knows `cluster_secret`
 * (docs/architecture.md, "Swarm"), and joins in the background after the
 * boot. A node keeps its membership across reboots (the user Docker's state is
 * on the state disk).
 */
export interface SwarmConfig {
  /** `manager` or `worker` (default `worker`). */
  role?: 'manager' | 'worker';
  /**
   * The address other nodes reach this one at: an interface name (`eth1`,
   * whose first IPv4 address is used) or an IPv4 address. Default: the
   * interface of the default route.
   */
  advertise_addr?: string;
  /**
   * Managers to join through: addresses or names, each optionally with the
   * swarm port (`10.0.0.1` or `10.0.0.1:2377`). Their join-token service
   * answers on TCP port 2378. Empty on the manager that starts the cluster.
   */
  join?: string[];
  /**
   * The secret every node of the cluster shares (make one with `ros swarm
   * secret`). Only a node that knows it gets a join
   * token. Never logged; `ros config export` hides it.
   */
  cluster_secret?: string;
  /** Node labels (`docker node update --label-add`), for placement constraints such as `node.labels.zone==a`. */
  labels?: Record<string, string>;
  /**
   * Join again after this node's user Docker left the swarm it had joined
   * (`docker swarm leave`; a node removed with `docker node rm` needs that
   * too). Default false: a node taken out stays out.
   */
  rejoin?: boolean;
}

/**
 * Upgrades (`rancher.upgrade`): where new versions come from and whether the
 * node installs them by itself. RancherOS' `image`, `policy` and `rollback`
 * are not used by ros.
 */
export interface UpgradeConfig {
  /**
   * More Ed25519 public keys (PEM, SPKI) whose signed bundles `ros os upgrade`
   * accepts, besides those of the image in `/usr/share/ros/keys/`.
   */
  keys?: string[];
  /**
   * The signed channel index `make release` writes (`channel.json`, with
   * `channel.json.sig` beside it): an `http(s)://` or `file://` URL or a path.
   * `ros os list`, `ros os upgrade` without `--image` and the updater read it.
   * RancherOS' key, with ros' own index format.
   */
  url?: string;
  /** The channel to follow when the index has several (default `stable`; an index of one channel is followed whatever its name). */
  channel?: string;
  /**
   * Install new versions of the channel by itself (default false): check at
   * `interval`, download and stage the newest into the other slot, and reboot
   * into it inside `window` (at once when there is no window). Every update
   * is a trial boot that comes back by itself if it fails.
   */
  auto?: boolean;
  /** How often the updater checks the channel, such as `1h`, `30m` or `1d` (default `1h`); each check comes up to a tenth later, at random. */
  interval?: string;
  /**
   * When the updater may reboot into a staged version, in UTC:
   * `Sun 02:00-04:00`, `Sat,Sun 23:00-01:00`, or `daily 02:00-04:00`
   * (a bare `02:00-04:00` too). Without it, it reboots as soon as the new
   * version is staged.
   */
  window?: string;
}

/** Host networking (`rancher.network`). */
export interface NetworkConfig {
  /** Proxy for HTTP, given to both Docker daemons (image pulls) as HTTP_PROXY. */
  http_proxy?: string;
  /** Proxy for HTTPS, given to both Docker daemons as HTTPS_PROXY. */
  https_proxy?: string;
  /** Hosts reached without the proxy, comma-separated (NO_PROXY). */
  no_proxy?: string;
  /** DNS resolvers. */
  dns?: DnsConfig;
  /**
   * Interfaces by name (`eth0`), glob (`eth*`) or MAC address (`mac=0a:1b:2c:3d:4e:5f`);
   * an entry's `match` replaces its key as the pattern. A MAC wins over a name, a name
   * over a glob. Bonds, bridges and VLANs are entries too (`bond0`, `br0`, `eth0.100`).
   * Without any entry every `eth*` interface uses DHCP. The order of work: the bonds,
   * bridges and VLANs are created, then each interface runs `pre_up`, joins its bond
   * or bridge or gets its MTU, link, addresses, routes and DHCP, then runs `post_up`;
   * lower interfaces (slaves, members, VLAN parents) go before the ones over them.
   */
  interfaces?: Record<string, InterfaceConfig>;
  /** Seconds the boot waits for a first DHCP lease (default 8); DHCP goes on in the background after. */
  dhcp_timeout?: number;
  /** Shell commands run before any interface is configured, in order (RancherOS `pre_cmds`). */
  pre_cmds?: string | string[];
  /** Shell commands run after every interface is configured, in order (RancherOS `post_cmds`). */
  post_cmds?: string | string[];
}

/** DNS resolver settings. */
export interface DnsConfig {
  /** Name servers, in order. */
  nameservers?: string[];
  /** Search domains; they replace the domain a DHCP lease names. */
  search?: string[];
  /**
   * Whether `nameservers` win over the resolvers a DHCP lease brings (default true when
   * `nameservers` are given, as on RancherOS 1.x). `false`: DHCP's resolvers come first
   * and `nameservers` follow them as a fallback.
   */
  override?: boolean;
}

/** One network interface (or a bond, bridge or VLAN). */
export interface InterfaceConfig {
  /**
   * The pattern this entry applies to, instead of its key: a name, a glob (`eth*`) or
   * `mac=…`. Lets an entry have a name of its own (RancherOS `match`).
   */
  match?: string;
  /**
   * Configure by DHCP (IPv4, busybox `udhcpc`). Default: on when the entry gives no
   * static address and no `ipv4ll`, and the interface is not a bond slave or bridge member.
   */
  dhcp?: boolean;
  /**
   * More `udhcpc` options for this interface, e.g. `-x hostname:node1`. RancherOS took a
   * whole `dhcpcd …` command line here; one that starts with `dhcpcd` is ignored with a warning.
   */
  dhcp_args?: string;
  /** Configure IPv6 by DHCPv6 too (busybox `udhcpc6`; stateful addresses only). */
  dhcpv6?: boolean;
  /**
   * Give the interface a link-local IPv4 address (169.254.x.y/16, RFC 3927): the
   * first one ARP finds unused among a few derived from the MAC address.
   */
  ipv4ll?: boolean;
  /** Static address in CIDR form, e.g. `10.0.0.5/24`. */
  address?: string;
  /** More static addresses in CIDR form (IPv4 or IPv6), added after `address`. */
  addresses?: string[];
  /** Default gateway. */
  gateway?: string;
  /** Default IPv6 gateway. */
  gateway_ipv6?: string;
  /** MTU in bytes. */
  mtu?: number;
  /**
   * On a member: the bridge it joins (created when missing, kernel module `bridge`).
   * On the bridge's own entry: `true`, so the bridge is created even before a member names it.
   */
  bridge?: string | boolean;
  /** On a slave: the bond it joins (created when missing, kernel module `bonding`). Slaves get no address or DHCP. */
  bond?: string;
  /**
   * On the bond's own entry: bonding driver options, written to
   * `/sys/class/net/<bond>/bonding/<option>` (`mode` first), e.g. `mode: active-backup`, `miimon: 100`.
   */
  bond_opts?: Record<string, string | number>;
  /**
   * VLANs on this interface (kernel module `8021q`): a comma-separated list of `id`
   * (named `<interface>.<id>`) or `id:name`, e.g. `"100,200:storage"`.
   */
  vlans?: string | number;
  /**
   * Shell commands run, in order, before the interface is configured; `$iface` is its
   * name. Their output goes to the log; a failing command is reported and the
   * interface is configured all the same.
   */
  pre_up?: string | string[];
  /** Shell commands run, in order, after the interface is configured; `$iface` is its name. */
  post_up?: string | string[];
}

/** The ssh daemon of the console. */
export interface SshConfig {
  /** TCP port of sshd (default 22). */
  port?: number;
  /** The one address sshd listens on (default: every address), e.g. a management network's. */
  listen_address?: string;
  /** Run sshd in the console (default true). */
  daemon?: boolean;
  /**
   * Host keys, as on RancherOS: `rsa`, `ecdsa`, `ed25519` private keys in OpenSSH
   * format. `<type>-pub` entries are accepted and unused (the private key holds
   * the public one). Types not given are generated once and kept.
   */
  keys?: Record<string, string>;
}

/** The persistent state disk (ext4 labelled `RANCHER_STATE`). */
export interface StateConfig {
  /** Device of the state disk: a /dev path or `LABEL=name` (default `LABEL=RANCHER_STATE`). */
  dev?: string;
  /**
   * Seconds to wait for the device to appear. Unset: 2 on a machine with NVMe, USB,
   * MMC/SD, Hyper-V or Xen controllers, whose disks can appear late, else 0. `true` (RancherOS' bare
   * `rancher.state.wait`) waits 60 s, for disks that come up late (iSCSI, USB, RAID).
   */
  wait?: number | boolean;
  /** Devices formatted as the state disk, only when their first MiB is all zeros. */
  autoformat?: string[];
  /** Without a state disk, stop in the recovery shell instead of running from RAM. */
  required?: boolean;
}

/** Where first-boot user-data comes from. */
export interface CloudInitConfig {
  /**
   * Tried in order until one answers: `configdrive`, `nocloud`, `cmdline`, `url:<http…>`, `file:<path>`,
   * the cloud metadata services `ec2`, `gce`, `digitalocean`, `openstack`, `azure`, `hetzner`, `vultr`,
   * `exoscale`, `aliyun`, `packet`, and `auto`: the config drive, NoCloud, then the clouds the machine's
   * DMI strings name (default `[auto]`).
   */
  datasources?: string[];
}

/** A Docker daemon (user or system). */
export interface DockerDaemonConfig {
  /** Extra dockerd arguments, after the ones ros sets. */
  extra_args?: string[];
  /** Registry mirror(s) for Docker Hub, comma-separated (`--registry-mirror`). */
  registry_mirror?: string;
  /** Address and prefix of the default bridge, e.g. `172.26.0.1/16` (`--bip`), when Docker's default collides with a network of yours. */
  bip?: string;
  /** Registries reached over plain HTTP or with an untrusted certificate (`--insecure-registry`). */
  insecure_registry?: string[];
  /** Default log options of containers (`--log-opt`), e.g. `max-size: 25m`. */
  log_opts?: Record<string, string | number>;
  /** Extra environment of dockerd, `NAME=value`. */
  environment?: string[];
  /** Serve the Docker API over TLS as well, on tcp/2376, clients proving themselves with a certificate from the node's CA (`ros tls gen`). User Docker only. */
  tls?: boolean;
  /** dockerd arguments when `tls` is true (default: `--tlsverify` with the node's certificates in /var/lib/rancher/tls and `-H=0.0.0.0:2376`). */
  tls_args?: string[];
  /** The CA certificate (PEM); without it the node makes its own CA once. */
  ca_cert?: string;
  /** The CA's private key (PEM), for `ros tls gen` to sign client certificates. */
  ca_key?: string;
  /** dockerd's certificate (PEM); without it one is made from the CA for the node's names. */
  server_cert?: string;
  /** dockerd's private key (PEM). */
  server_key?: string;
}

/** Logging of ros itself. */
export interface LogConfig {
  /** Lowest level ros' init logs, to /var/log/ros/init.log, the kernel log and the console (default: debug to the file, info to the console). */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
