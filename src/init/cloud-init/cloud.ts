// Running one cloud datasource at boot: a route to its link-local address if
// nothing reaches it yet, HTTP on the shared deadline, the Azure provisioning
// medium, and the result in the shape the datasource stage takes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { CloudDatasource, FetchEnv } from '../../datasources/cloud-datasource';
import { MetadataHttp, type Deadline } from '../../datasources/http';
import { isLinkLocal, planLinkLocal, type LinkState } from '../../datasources/link-local';
import { findByType } from '../../sys/block';
import { MS, mount, umount } from '../../sys/mount';
import type { Logger } from '../../log/logger';
import { runCaptured } from '../children';
import type { Fetched } from './fetch';

async function ip(args: string[]): Promise<string> {
  const r = await runCaptured('ip', args);
  if (r.code !== 0) throw new Error(`ip ${args.join(' ')}: ${r.out.trim() || `exit ${r.code}`}`);
  return r.out;
}

async function links(): Promise<LinkState[]> {
  const out: LinkState[] = [];
  for (const name of readdirSync('/sys/class/net')) {
    const mac = existsSync(`/sys/class/net/${name}/address`) ? readFileSync(`/sys/class/net/${name}/address`, 'utf8').trim() : undefined;
    const v4 = await ip(['-o', '-4', 'addr', 'show', 'dev', name]).catch(() => '');
    out.push({ name, mac, hasIpv4: v4.trim() !== '' });
  }
  return out;
}

/** Makes the endpoint reachable when no route does; returns the commands that undo it. */
async function ensureRoute(log: Logger, endpoint: string): Promise<string[][]> {
  const host = new URL(endpoint).hostname;
  // Other addresses (Alibaba's, a host name) are the routing table's business.
  if (!isLinkLocal(host)) return [];
  const routed = (await runCaptured('ip', ['route', 'get', host])).code === 0;
  const plan = planLinkLocal(host, routed, routed ? [] : await links());
  for (const c of plan.commands) await ip(c);
  if (plan.commands.length > 0) log.info(`datasource: no route to ${host}: ${plan.commands.map((c) => `ip ${c.join(' ')}`).join('; ')}`);
  return plan.undo;
}

/** ovf-env.xml from an ISO 9660 medium (Azure's provisioning disc). */
function ovfEnv(): string | null {
  for (const fs of findByType('iso9660')) {
    const dir = '/run/ros/datasource/ovf';
    mount({ source: fs.device, target: dir, fstype: fs.fstype, flags: MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC });
    try {
      if (existsSync(`${dir}/ovf-env.xml`)) return readFileSync(`${dir}/ovf-env.xml`, 'utf8');
    } finally {
      umount(dir);
    }
  }
  return null;
}

export async function fetchCloud(log: Logger, ds: CloudDatasource, deadline: Deadline): Promise<Fetched | null> {
  const env: FetchEnv = {
    http: (endpoint) => new MetadataHttp(endpoint, deadline),
    ovfEnv,
    note: (m) => log.info(`datasource: ${m}`),
  };
  const undo = await ensureRoute(log, ds.endpoint);
  let meta;
  try {
    meta = await ds.fetch(env);
  } finally {
    for (const c of undo) await ip(c).catch((err: Error) => log.warn(`datasource: ${err.message}`));
  }
  if (!meta) return null;
  const found = meta;
  return {
    source: `${ds.name} (${ds.endpoint})`,
    instanceId: meta.instanceId,
    userData: meta.userData,
    meta,
    ready: ds.ready ? () => ds.ready?.(env, found) ?? Promise.resolve() : undefined,
  };
}
