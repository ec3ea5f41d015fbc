// What a cloud's metadata means as cloud-config (pure): the layer ros saves
// below the user-data, so `ros config get hostname` shows where a value came
// from and the user-data can still override it.
import type { RosConfig } from '../config/types';
import type { InstanceMetadata } from './cloud-datasource';

export function metaConfig(meta: InstanceMetadata): RosConfig {
  const config: RosConfig = {};
  // Clouds hand out FQDNs (ip-10-0-0-5.ec2.internal); the host name is the FQDN, as cloud-init sets it.
  if (meta.hostname) config.hostname = meta.hostname.toLowerCase().replace(/\.$/, '');
  if (meta.sshKeys.length > 0) config.ssh_authorized_keys = meta.sshKeys;
  if (meta.network) config.rancher = { network: meta.network };
  return config;
}
