// Every cloud datasource by its name in rancher.cloud_init.datasources, and
// which of them DMI points at. The names are declared in src/config (so
// validation needs nothing from here); a unit test keeps the two lists equal.
import type { CloudName } from '../config/datasource-spec';
import type { Dmi } from '../sys/dmi';
import type { CloudDatasource } from './cloud-datasource';
import { aliyun } from './aliyun';
import { azure } from './azure';
import { digitalocean } from './digitalocean';
import { ec2 } from './ec2';
import { exoscale } from './exoscale';
import { gce } from './gce';
import { hetzner } from './hetzner';
import { openstack } from './openstack';
import { packet } from './packet';
import { vultr } from './vultr';

export const CLOUDS: Record<CloudName, CloudDatasource> = { ec2, gce, digitalocean, openstack, azure, hetzner, vultr, exoscale, aliyun, packet };

/** The clouds whose DMI strings this machine has, in the order of CLOUD_NAMES. */
export function detectClouds(dmi: Dmi): CloudName[] {
  return (Object.keys(CLOUDS) as CloudName[]).filter((name) => CLOUDS[name].detect?.(dmi) === true);
}
