// What a cloud's metadata means as cloud-config (pure): the layer ros saves
// below the user-data, so `ros config get hostname` shows where a value came
// from and the user-data can still override it.
import type { RosConfig } from '../config/types';
import type { InstanceMetadata } from './cloud-datasource';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$`);

export function metaConfig(meta: InstanceMetadata): RosConfig {
  const config: RosConfig = {};
  // Clouds hand out FQDNs (ip-10-0-0-5.ec2.internal); the host name is the FQDN, as cloud-init sets it.
  // A name that is not RFC 1123 is left out rather than costing the keys and network with it.
  const hostname = meta.hostname?.toLowerCase().replace(/\.$/, '');
  if (hostname && HOSTNAME.test(hostname)) config.hostname = hostname;
  if (meta.sshKeys.length > 0) config.ssh_authorized_keys = meta.sshKeys;
  if (meta.network) config.rancher = { network: meta.network };
  return config;
}
