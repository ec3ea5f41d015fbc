// First-boot user-data: try each datasource in order until one answers,
// save what it gave as config layers (metadata below user-data, mode 0600),
// reload the config. An invalid user-data is reported in full and changes
// nothing: the config in force stays.
import { DEFAULT_DATASOURCES, expandDatasources, parseDatasource, specName, DATASOURCE_FORMS, type DatasourceSpec } from '../../config/datasource-spec';
import { INSTALLED_USER_DATA } from '../../config/paths';
import { Deadline } from '../../datasources/http';
import { CLOUDS, detectClouds } from '../../datasources/registry';
import { readDmi } from '../../sys/dmi';
import type { BootContext } from '../context';
import type { Task } from '../stage';
import { fetchCloud } from '../cloud-init/cloud';
import { fetchDatasource, type Fetched } from '../cloud-init/fetch';
import { instanceDone } from '../cloud-init/instance';
import { saveMetaConfig, saveUserData } from '../cloud-init/save-user-data';
import { reapplyNetworkIfChanged } from './network';
import { loadLayeredConfig } from './config';

/** All the time a cloud datasource named in the list may take, its retries included. */
const CLOUD_DEADLINE_MS = 10_000;
/** All the time the clouds `auto` found by DMI may take together: a cloud that lacks its service costs this at most. */
const AUTO_DEADLINE_MS = 5_000;

function specsOf(ctx: BootContext): DatasourceSpec[] {
  // What `ros install -c` put on the disk is tried last, whatever the list says:
  // it is how an installed node gets its first config without any cloud.
  const configured = ctx.config.rancher?.cloud_init?.datasources ?? DEFAULT_DATASOURCES;
  const specs: DatasourceSpec[] = [];
  for (const raw of configured) {
    const spec = parseDatasource(raw);
    if (spec) specs.push(spec);
    else ctx.log.error(`rancher.cloud_init.datasources: unknown datasource ${JSON.stringify(raw)} (${DATASOURCE_FORMS.join(', ')})`);
  }
  const dmi = specs.some((s) => s.kind === 'auto') ? readDmi() : {};
  const detected = detectClouds(dmi);
  if (specs.some((s) => s.kind === 'auto')) {
    ctx.log.info(`datasource: auto: DMI ${JSON.stringify(dmi.sys_vendor ?? '')} / ${JSON.stringify(dmi.product_name ?? '')}: ${detected.length ? `trying ${detected.join(', ')}` : 'no cloud detected'}`);
  }
  return expandDatasources([...specs, { kind: 'file', path: INSTALLED_USER_DATA }], detected);
}

async function fetchOne(ctx: BootContext, spec: DatasourceSpec, autoDeadline: () => Deadline): Promise<Fetched | null> {
  switch (spec.kind) {
    case 'auto':
      return null; // expanded away by specsOf
    case 'cloud': {
      const t0 = Date.now();
      const found = await fetchCloud(ctx.log, CLOUDS[spec.name], spec.auto ? autoDeadline() : new Deadline(CLOUD_DEADLINE_MS));
      ctx.log.info(`datasource: ${spec.name}: ${found ? 'answered' : 'not this cloud'} in ${Date.now() - t0} ms`);
      return found;
    }
    default:
      return fetchDatasource(spec, [...ctx.cmdline.kernel, ...ctx.cmdline.init]);
  }
}

export const datasource: Task = {
  name: 'datasource',
  async run(ctx) {
    let found: Fetched | null = null;
    // Started by the first cloud auto tries, shared by the others.
    let shared: Deadline | undefined;
    const autoDeadline = () => (shared ??= new Deadline(AUTO_DEADLINE_MS));
    for (const spec of specsOf(ctx)) {
      try {
        found = await fetchOne(ctx, spec, autoDeadline);
      } catch (err) {
        ctx.log.error(`datasource ${specName(spec)}: ${(err as Error).message}`);
      }
      if (found) break;
    }
    if (!found) {
      ctx.log.info('cloud-init: no datasource found');
      return;
    }
    const isNew = !instanceDone(found.instanceId);
    ctx.instance = { id: found.instanceId, source: found.source, isNew, sshKeys: found.meta?.sshKeys ?? [] };
    const why = ctx.state === 'ram' ? ' (no persistent state: every boot is a first boot)' : '';
    ctx.log.info(`cloud-init: instance ${found.instanceId} from ${found.source}: ${isNew ? `first boot${why}` : 'already configured'}`);
    saveMetaConfig(ctx.log, found.source, found.meta);
    if (found.userData) saveUserData(ctx.log, found.source, found.userData);
    // Reloaded even when only the metadata changed: hostname and network come from it.
    await loadLayeredConfig.run(ctx);
    // User-data and metadata may bring rancher.network, after the network stage applied the rest.
    // Each failed step is logged where it fails; the datasource's own work goes on.
    await reapplyNetworkIfChanged(ctx, ctx.config.rancher?.network ?? found.meta?.network, `from ${found.source}`).catch(() => {});
    if (found.ready) {
      await found.ready().catch((err: Error) => ctx.log.error(`datasource: ${err.message}`));
    }
  },
};
