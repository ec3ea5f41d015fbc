// Reading user-data from each kind of datasource. Each fetcher returns null
// when its source is absent, and throws only when it is present but broken.
import { existsSync, readFileSync } from 'node:fs';
import { findByLabel } from '../../sys/block';
import { fetchUrl } from '../../sys/fetch-url';
import { MS, mount, umount } from '../../sys/mount';
import { configDriveInstanceId, contentInstanceId, noCloudInstanceId } from '../../config/user-data';
import { cmdlineUserDataUrl, type DatasourceSpec } from '../../config/datasource-spec';
import type { InstanceMetadata } from '../../datasources/cloud-datasource';

export interface Fetched {
  source: string;
  instanceId: string;
  userData: Buffer | null;
  /** What a cloud's metadata service gave besides user-data (hostname, keys, network…). */
  meta?: InstanceMetadata;
  /** Tell the cloud the instance is up (Azure), once its metadata was used. */
  ready?: () => Promise<void>;
}

const MOUNT_DIR = '/run/ros/datasource';

function readOpt(path: string): Buffer | null {
  return existsSync(path) ? readFileSync(path) : null;
}

/** Mounts the first filesystem labelled `label` read-only, runs `read`, unmounts. */
function withLabelled<T>(label: string, read: (dir: string, device: string) => T): T | null {
  const fs = findByLabel(label)[0];
  if (!fs) return null;
  const dir = `${MOUNT_DIR}/${label}`;
  mount({ source: fs.device, target: dir, fstype: fs.fstype, flags: MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC });
  try {
    return read(dir, fs.device);
  } finally {
    umount(dir);
  }
}

function configDrive(): Fetched | null {
  return withLabelled('config-2', (dir, device) => {
    const userData = readOpt(`${dir}/openstack/latest/user_data`);
    const meta = readOpt(`${dir}/openstack/latest/meta_data.json`)?.toString('utf8') ?? null;
    const source = `configdrive (${device})`;
    return { source, instanceId: configDriveInstanceId(meta) ?? contentInstanceId('configdrive', userData ?? Buffer.alloc(0)), userData };
  });
}

function noCloud(): Fetched | null {
  return withLabelled('cidata', (dir, device) => {
    const userData = readOpt(`${dir}/user-data`);
    const meta = readOpt(`${dir}/meta-data`)?.toString('utf8') ?? null;
    const source = `nocloud (${device})`;
    return { source, instanceId: noCloudInstanceId(meta) ?? contentInstanceId('nocloud', userData ?? Buffer.alloc(0)), userData };
  });
}

/** The local kinds; `auto` and the clouds are the datasource stage's. */
export async function fetchDatasource(spec: Exclude<DatasourceSpec, { kind: 'auto' | 'cloud' }>, cmdline: string[]): Promise<Fetched | null> {
  switch (spec.kind) {
    case 'configdrive':
      return configDrive();
    case 'nocloud':
      return noCloud();
    case 'file': {
      const data = readOpt(spec.path);
      return data ? { source: `file:${spec.path}`, instanceId: contentInstanceId('file', data), userData: data } : null;
    }
    case 'url': {
      const data = await fetchUrl(spec.url);
      return { source: `url:${spec.url}`, instanceId: contentInstanceId('url', data), userData: data };
    }
    case 'cmdline': {
      const url = cmdlineUserDataUrl(cmdline);
      if (!url) return null;
      const data = await fetchUrl(url);
      return { source: `cmdline:${url}`, instanceId: contentInstanceId('cmdline', data), userData: data };
    }
  }
}
