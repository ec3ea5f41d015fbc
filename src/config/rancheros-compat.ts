// RancherOS keys ros does not implement (yet). An existing RancherOS
// cloud-config must still boot — its ssh keys above all, or the operator cannot
// even log in to see why — so these keys are dropped with a warning naming
// them and their line, instead of failing the whole file as unknown keys do.
// Misspelt keys still fail: only names RancherOS had are here.
import type { DropRule } from './drop-keys';

/** dockerd options RancherOS had for rancher.docker and rancher.system_docker that ros does not take. */
const ENGINE_OPTS = [
  'args', 'bridge', 'config_file', 'containerd', 'debug', 'exec', 'exec_root', 'graph', 'group', 'host', 'image',
  'live_restore', 'log_driver', 'pid_file', 'restart', 'selinux_enabled', 'storage_context', 'storage_driver', 'userland_proxy',
];

export const IGNORED_RANCHEROS_KEYS: readonly DropRule[] = [
  'rancher.console',
  'rancher.upgrade.image',
  'rancher.upgrade.policy',
  'rancher.upgrade.rollback',
  'rancher.bootstrap',
  'rancher.bootstrap_docker',
  'rancher.resize_device',
  'rancher.debug',
  'rancher.defaults',
  'rancher.default_network',
  'rancher.repositories',
  'rancher.hypervisor_service',
  'rancher.registry_auths',
  'rancher.disable',
  'rancher.rm_usr',
  'rancher.no_sharedroot',
  'rancher.force_console_rebuild',
  'rancher.http_load_retries',
  // Services RancherOS ran inside its cloud-init step; ros has no such step (rancher.services runs them at boot).
  'rancher.cloud_init_services',
  // ros always loads preloaded user images before user-docker-ready; there is nothing to wait for separately.
  'rancher.preload_wait',
  'rancher.system_docker.engine',
  'rancher.autoformat',
  'rancher.state.boot_fstype',
  'rancher.state.boot_dev',
  // RancherOS' `log: true` (log to the console); ros' rancher.log is a map.
  { key: 'rancher.log', when: (v) => typeof v === 'boolean' },
  'rancher.docker.engine',
  // TLS is the user Docker's (the Docker API users reach from elsewhere); system-docker stays on its socket.
  ...['tls', 'tls_args', 'server_cert', 'server_key', 'ca_cert', 'ca_key'].map((k) => `rancher.system_docker.${k}`),
  ...ENGINE_OPTS.flatMap((k) => [`rancher.docker.${k}`, `rancher.system_docker.${k}`]),
  // Wi-Fi and modems: no wpa_supplicant or modem tools in the image.
  'rancher.network.wifi_networks',
  'rancher.network.modem_networks',
  'rancher.network.interfaces.*.wifi_network',
  // On the cmdline (the only place rancher.state is read) these are RancherOS' too.
  ...['directory', 'fstype', 'formatzero', 'mdadm_scan', 'lvm_scan', 'cryptsetup', 'rngd', 'script', 'oem_fstype', 'oem_dev'].map((k) => `rancher.state.${k}`),
];
