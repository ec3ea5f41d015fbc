// First-boot user-data: try each datasource in order, validate what it gives,
// save a valid cloud-config as a config layer (mode 0600), reload the config.
// An invalid one is reported in full and changes nothing: the config in force stays.
import { existsSync, readFileSync } from 'node:fs';
import { atomicWrite } from '../../sys/atomic-write';
import { DEFAULT_DATASOURCES, classifyUserData, parseDatasource } from '../../config/user-data';
import { formatDiagnostic } from '../../config/diagnostic';
import { validateConfig } from '../../config/validate';
import { CLOUD_CONFIG_D, CONF_DIR, INSTALLED_USER_DATA } from '../../config/paths';
import type { Task } from '../stage';
import { fetchDatasource, type Fetched } from '../cloud-init/fetch';
import { instanceDone } from '../cloud-init/instance';
import { loadLayeredConfig } from './config';

export const USER_CONFIG = `${CLOUD_CONFIG_D}/user_config.yml`;
export const USER_SCRIPT = `${CONF_DIR}/user-data-script`;

export const datasource: Task = {
  name: 'datasource',
  async run(ctx) {
    // What `ros install -c` put on the disk is tried last, whatever the list says:
    // it is how an installed node gets its first config without any cloud.
    const configured = ctx.config.rancher?.cloud_init?.datasources ?? DEFAULT_DATASOURCES;
    const installed = `file:${INSTALLED_USER_DATA}`;
    const specs = configured.includes(installed) ? configured : [...configured, installed];
    let found: Fetched | null = null;
    const problems: string[] = [];
    for (const raw of specs) {
      const spec = parseDatasource(raw);
      if (!spec) {
        problems.push(`rancher.cloud_init.datasources: unknown datasource ${JSON.stringify(raw)} (configdrive, nocloud, url:<http…>, file:<path>, cmdline)`);
        continue;
      }
      try {
        found = await fetchDatasource(spec, [...ctx.cmdline.kernel, ...ctx.cmdline.init]);
      } catch (err) {
        problems.push(`datasource ${raw}: ${(err as Error).message}`);
      }
      if (found) break;
    }
    for (const p of problems) ctx.log.error(p);
    if (!found) {
      ctx.log.info('cloud-init: no datasource found');
      return;
    }
    const isNew = !instanceDone(found.instanceId);
    ctx.instance = { id: found.instanceId, source: found.source, isNew };
    const why = ctx.state === 'ram' ? ' (no persistent state: every boot is a first boot)' : '';
    ctx.log.info(`cloud-init: instance ${found.instanceId} from ${found.source}: ${isNew ? `first boot${why}` : 'already configured'}`);
    if (!found.userData) return;
    const payload = classifyUserData(found.userData);
    if (payload.kind === 'script') {
      atomicWrite(USER_SCRIPT, payload.body, 0o700);
      return;
    }
    if (payload.kind === 'unknown') {
      ctx.log.error(`cloud-init: user-data from ${found.source} is neither #cloud-config nor a #! script (first line: ${payload.firstLine})`);
      return;
    }
    if (payload.kind !== 'cloud-config') return;
    const result = validateConfig(payload.text, `${found.source} user-data`);
    if (!result.ok) {
      for (const d of result.diagnostics) ctx.log.error(`cloud-config: ${formatDiagnostic(d)}`);
      ctx.log.error(`cloud-init: user-data from ${found.source} has ${result.diagnostics.length} error(s); not applied, the config in force stays`);
      return;
    }
    const current = existsSync(USER_CONFIG) ? readFileSync(USER_CONFIG, 'utf8') : null;
    if (current !== payload.text) {
      atomicWrite(USER_CONFIG, payload.text, 0o600);
      ctx.log.info(`cloud-init: saved user-data as ${USER_CONFIG}`);
    }
    await loadLayeredConfig.run(ctx);
  },
};
