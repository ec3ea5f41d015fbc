// RancherOS keys ros does not implement (yet). An existing RancherOS
// cloud-config must still boot: these keys are dropped with a warning naming
// them, instead of failing the whole file as unknown keys do.
export const IGNORED_RANCHEROS_KEYS: readonly string[] = [
  'rancher.console',
  'rancher.upgrade',
  'rancher.bootstrap_docker',
  'rancher.resize_device',
  'rancher.debug',
  'rancher.defaults',
  'rancher.repositories',
  'rancher.hypervisor_service',
  'rancher.registry_auths',
  'rancher.disable',
  'rancher.docker.engine',
  'rancher.docker.tls',
  'rancher.docker.tls_args',
  'rancher.docker.storage_driver',
  'rancher.docker.server_cert',
  'rancher.docker.server_key',
  'rancher.docker.ca_cert',
  'rancher.docker.ca_key',
  'rancher.system_docker.storage_driver',
  'rancher.network.pre_cmds',
  'rancher.network.post_cmds',
  'rancher.network.dhcp_timeout',
];
