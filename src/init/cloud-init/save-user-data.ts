// Turning what a datasource gave into files the next boots read: the
// metadata as a cloud-config layer, the user-data (cloud-config, script or a
// multipart of both) validated and saved, vendor-data kept for inspection.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { stringify } from 'yaml';
import { atomicWrite } from '../../sys/atomic-write';
import { classifyUserData } from '../../config/user-data';
import { formatDiagnostic } from '../../config/diagnostic';
import { validateConfig } from '../../config/validate';
import { deepMerge } from '../../config/merge';
import { CLOUD_CONFIG_D, CONF_DIR } from '../../config/paths';
import { metaConfig } from '../../datasources/meta-config';
import type { InstanceMetadata } from '../../datasources/cloud-datasource';
import type { Logger } from '../../log/logger';

/** Where the saved pieces go (the node's paths; tests use a temporary directory). */
export interface SavePaths {
  confDir: string;
  cloudConfigD: string;
}
const NODE: SavePaths = { confDir: CONF_DIR, cloudConfigD: CLOUD_CONFIG_D };

const userConfig = (p: SavePaths) => `${p.cloudConfigD}/user_config.yml`;
/** Sorts before user_config.yml: the user-data overrides what the cloud said. */
const metaConfigFile = (p: SavePaths) => `${p.cloudConfigD}/meta_data.yml`;
const userScript = (p: SavePaths) => `${p.confDir}/user-data-script`;
const vendorData = (p: SavePaths) => `${p.confDir}/vendor-data`;

/** The user-data scripts to run once, in order: user-data-script, then user-data-script.2, .3… from a multipart. */
export function userScripts(p: SavePaths = NODE): string[] {
  const extra = existsSync(p.confDir) ? readdirSync(p.confDir).filter((f) => /^user-data-script\.\d+$/.test(f)) : [];
  const numbered = extra.map((f) => Number(f.split('.')[1])).sort((a, b) => a - b).map((n) => `${userScript(p)}.${n}`);
  return [...(existsSync(userScript(p)) ? [userScript(p)] : []), ...numbered];
}

function saveScripts(p: SavePaths, bodies: Buffer[]): void {
  for (const old of userScripts(p)) rmSync(old, { force: true });
  bodies.forEach((body, i) => atomicWrite(i === 0 ? userScript(p) : `${userScript(p)}.${i + 1}`, body, 0o700));
}

function writeIfChanged(log: Logger, path: string, text: string): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) return;
  atomicWrite(path, text, 0o600);
  log.info(`cloud-init: saved ${path}`);
}

/** The cloud's hostname, keys and network as a layer; false when the layer did not validate. */
export function saveMetaConfig(log: Logger, source: string, meta: InstanceMetadata | undefined, p: SavePaths = NODE): boolean {
  if (!meta) {
    rmSync(metaConfigFile(p), { force: true });
    return true;
  }
  const text = `#cloud-config\n# from ${source}, instance ${meta.instanceId}\n${stringify(metaConfig(meta))}`;
  const result = validateConfig(text, `${source} metadata`);
  if (!result.ok) {
    for (const d of result.diagnostics) log.error(`cloud-config: ${formatDiagnostic(d)}`);
    return false;
  }
  writeIfChanged(log, metaConfigFile(p), text);
  if (meta.vendorData) {
    atomicWrite(vendorData(p), meta.vendorData, 0o600);
    log.info(`cloud-init: vendor-data from ${source} (${meta.vendorData.length} bytes) kept in ${vendorData(p)}, not applied`);
  }
  return true;
}

function validCloudConfig(log: Logger, text: string, what: string): Record<string, unknown> | null {
  const result = validateConfig(text, what);
  if (result.ok) return result.config as Record<string, unknown>;
  for (const d of result.diagnostics) log.error(`cloud-config: ${formatDiagnostic(d)}`);
  log.error(`cloud-init: ${what} has ${result.diagnostics.length} error(s); not applied, the config in force stays`);
  return null;
}

/** Saves the user-data; true when the config layers changed and must be reloaded. */
export function saveUserData(log: Logger, source: string, raw: Buffer, p: SavePaths = NODE): boolean {
  const payload = classifyUserData(raw);
  switch (payload.kind) {
    case 'empty':
      return false;
    case 'unknown':
      log.error(`cloud-init: user-data from ${source} is neither #cloud-config, a #! script nor MIME multipart (${payload.firstLine})`);
      return false;
    case 'script':
      saveScripts(p, [payload.body]);
      return false;
    case 'cloud-config': {
      if (!validCloudConfig(log, payload.text, `${source} user-data`)) return false;
      writeIfChanged(log, userConfig(p), payload.text);
      return true;
    }
    case 'multipart': {
      for (const p of payload.ignored) log.warn(`cloud-init: user-data from ${source}: part ${p} is of a type ros does not apply; ignored`);
      saveScripts(p, payload.scripts.map((s) => s.body));
      const configs = payload.cloudConfigs.map((c) => validCloudConfig(log, c.text, `${source} user-data part ${c.name}`));
      if (configs.length === 0 || configs.some((c) => c === null)) return false;
      // Several cloud-config parts merge as layers do: maps key by key, a later list replaces.
      const merged = configs.reduce<Record<string, unknown>>((acc, c) => deepMerge(acc, c), {});
      const names = payload.cloudConfigs.map((c) => c.name).join(', ');
      writeIfChanged(log, userConfig(p), `#cloud-config\n# from ${source}: multipart ${names}\n${stringify(merged)}`);
      return true;
    }
  }
}
