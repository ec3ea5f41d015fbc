// Where things live on a node: the RancherOS contract and ros' own run-time
// files (docs/architecture.md, "Contracts"). One place, so init, the console
// and the CLI never disagree about a path.
export const OS_CONFIG = '/usr/share/ros/os-config.yml';
/** Volume label of the state disk (the RancherOS contract). */
export const STATE_LABEL = 'RANCHER_STATE';
export const CONF_DIR = '/var/lib/rancher/conf';
export const CLOUD_CONFIG_D = `${CONF_DIR}/cloud-config.d`;
export const CLOUD_CONFIG = `${CONF_DIR}/cloud-config.yml`;
/** The cloud-config `ros install -c` put on the disk: the datasource of last resort. */
export const INSTALLED_USER_DATA = `${CONF_DIR}/install/user-data`;
/** The bundled service catalogue (system-services/catalogue/ in the repository). */
export const CATALOGUE_DIR = '/usr/share/ros/services';
/** Service files enabled by URL are fetched once, by `ros service enable`, and kept here. */
export const SERVICE_CACHE_DIR = '/var/lib/rancher/cache/services';

/** ros' run-time files (a tmpfs; the console sees it through its /var/run bind). */
export const RUN_DIR = '/run/ros';
/** The kernel command line as init parsed it (JSON, 0600: it holds the words after `--`). */
export const CMDLINE_JSON = `${RUN_DIR}/cmdline.json`;
/** The words before `--`, bind-mounted over /proc/cmdline so nobody but init sees the rest. */
export const VISIBLE_CMDLINE = `${RUN_DIR}/cmdline`;
/** The network's run-time files: leases, DNS policy for the DHCP scripts, the outcome of the last apply. */
export const NET_RUN_DIR = `${RUN_DIR}/net`;
/** JSON {at, why, changed, failures, warnings} of the last network apply, read by `ros network apply`. */
export const NET_APPLIED = `${NET_RUN_DIR}/applied.json`;

/** Mount point of the RANCHER_STATE disk. */
export const STATE_MOUNT = '/mnt/state';
/** The root image's copy on the state disk, read by the root's loop device instead of the initrd's copy in RAM. */
export const ROOT_IMAGE_DIR = `${STATE_MOUNT}/ros/root-image`;
/** Directories that live on the state disk (tmpfs without one). */
export const STATE_DIRS = ['/var/lib/rancher', '/var/lib/docker', '/var/lib/system-docker', '/home', '/opt', '/var/log'];

/**
 * The paths a user works in, seen alike by the console (where the user is)
 * and the user Docker (which resolves `docker run -v PATH:…`). Each is a
 * shared mount on the host; the console binds them rshared, the docker
 * service rslave, so both see one set of files, and a mount made later under
 * one of them (a USB disk on /mnt) appears in both. docs/architecture.md,
 * "One file system view".
 */
export const USER_VIEW_DIRS = ['/home', '/opt', '/tmp', '/mnt', '/media', '/var/lib/rancher'];

/** The user Docker's TLS material: the node's CA and dockerd's certificate (keys 0600). docs/architecture.md, "Docker over TLS". */
export const TLS_DIR = '/var/lib/rancher/tls';
/** Public keys (PEM) whose signed bundles `ros os upgrade` accepts; rancher.upgrade.keys adds more. */
export const KEYS_DIR = '/usr/share/ros/keys';
/** Upgrade files on the state disk: downloads in progress, the records below. */
export const UPGRADE_DIR = '/var/lib/rancher/upgrade';
/** What the last upgrade or rollback did and how it ended (on the state disk). */
export const UPGRADE_RECORD = `${UPGRADE_DIR}/last.json`;
/** What the automatic updater is doing and last did (on the state disk). */
export const UPDATER_STATUS = `${UPGRADE_DIR}/updater.json`;
/** The state disk's format, written by the first ros that used it: a version never boots a newer one it cannot read. */
export const STATE_FORMAT_FILE = '/var/lib/rancher/state-format';
/** The swarm this node joined (on the state disk): how a node removed from its cluster knows not to join again. docs/architecture.md, "Swarm". */
export const SWARM_MEMBERSHIP = '/var/lib/rancher/swarm/membership.json';
/** What the swarm agent is doing now (`ros swarm status` reads it). */
export const SWARM_STATUS = `${RUN_DIR}/swarm.json`;
