// Where service definitions come from: rancher.services in the config, the
// catalogue bundled in the image (/usr/share/ros/services, no network ever
// needed), and local files named in rancher.services_include.
import { daemonConfig, withDaemonSettings } from './docker-daemon';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../config/diagnostic';
import type { RosConfig } from '../config/types';
import type { ServiceMap } from '../config/service-types';
import { validateConfig } from '../config/validate';
import { CATALOGUE_DIR, SERVICE_CACHE_DIR as URL_CACHE_DIR } from '../config/paths';
import { closest } from '../config/suggest';
import { envList } from './container-spec';
import { interpolateService, serviceVars } from './interpolate';
import { scopeOf } from './labels';
import { REACHED_BY_BOOT } from './order';
import { expandAllVolumeSets } from './volume-sets';


export interface CatalogueEntry {
  name: string;
  file: string;
  description: string;
  scope: 'system' | 'user';
}

export function readCatalogue(dir = CATALOGUE_DIR): CatalogueEntry[] {
  try {
    return (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { services: CatalogueEntry[] }).services;
  } catch {
    return [];
  }
}

export type Loaded = { ok: true; services: ServiceMap } | { ok: false; diagnostics: Diagnostic[] };

/** A service file is a compose map; it is validated as `rancher.services` would be. */
export function parseServiceFile(text: string, file: string): Loaded {
  // A leading `---` (a document start, common in RancherOS service files) would not survive the indenting below.
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
  if (start >= 0 && /^---\s*$/.test(lines[start] ?? '')) lines[start] = '';
  const indented = lines.map((l) => (l.trim() === '' || l.startsWith('#') ? l : `    ${l}`)).join('\n');
  const r = validateConfig(`rancher:\n  services:\n${indented}`, file);
  if (!r.ok) {
    // Shift positions back to the file's own lines and columns.
    return { ok: false, diagnostics: r.diagnostics.map((d) => ({ ...d, line: d.line ? d.line - 2 : d.line, column: d.column ? Math.max(1, d.column - 4) : d.column, path: d.path.replace(/^rancher\.services\.?/, '') })) };
  }
  return { ok: true, services: r.config.rancher?.services ?? {} };
}

export function isPathRef(ref: string): boolean {
  return ref.startsWith('/');
}

export function isUrlRef(ref: string): boolean {
  return /^https?:\/\//.test(ref);
}

export function urlCacheFile(url: string, dir = URL_CACHE_DIR): string {
  return join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.yml`);
}

/** Resolves a catalogue name or an absolute path to its definitions. */
export function loadServiceRef(ref: string, dir = CATALOGUE_DIR, cacheDir = URL_CACHE_DIR): Loaded {
  let file = ref;
  if (isUrlRef(ref)) {
    file = urlCacheFile(ref, cacheDir);
    if (!existsSync(file)) return { ok: false, diagnostics: [{ code: 'not-cached', message: `${ref} is not in the cache (${file}): run ros service enable ${ref} again`, file: ref, path: '' }] };
  } else if (!isPathRef(ref)) {
    const entry = readCatalogue(dir).find((e) => e.name === ref);
    if (!entry) return { ok: false, diagnostics: [{ code: 'unknown-service', message: unknownServiceMessage(ref, dir), file: ref, path: '' }] };
    file = join(dir, entry.file);
  }
  if (!existsSync(file)) return { ok: false, diagnostics: [{ code: 'missing-file', message: `${file} does not exist`, file, path: '' }] };
  return parseServiceFile(readFileSync(file, 'utf8'), file);
}

export function unknownServiceMessage(name: string, dir = CATALOGUE_DIR): string {
  const names = readCatalogue(dir).map((e) => e.name);
  const near = closest(name, names, Math.max(3, Math.ceil(name.length / 2)));
  const hint = near ? `did you mean ${near}? ` : '';
  return `no service ${JSON.stringify(name)} in the catalogue; ${hint}available: ${names.join(', ') || '(none)'}`;
}

export interface Resolved {
  services: ServiceMap;
  problems: string[];
  /** Things worth saying that change nothing (a variable that is not set). */
  warnings: string[];
}

/** Every enabled definition: rancher.services plus each services_include entry set to true. */
export function enabledServices(config: RosConfig, dir = CATALOGUE_DIR, cacheDir = URL_CACHE_DIR): Resolved {
  const services: ServiceMap = { ...(config.rancher?.services ?? {}) };
  const problems: string[] = [];
  for (const [ref, on] of Object.entries(config.rancher?.services_include ?? {})) {
    if (!on) continue;
    const loaded = loadServiceRef(ref, dir, cacheDir);
    if (loaded.ok) Object.assign(services, loaded.services);
    else problems.push(`services_include ${ref}: ${loaded.diagnostics.map((d) => `${d.line ? `line ${d.line}: ` : ''}${d.path ? `${d.path}: ` : ''}${d.message}`).join('; ')}`);
  }
  // As RancherOS ran them: variables filled from rancher.environment, the standard volume containers as binds.
  const vars = serviceVars(config.rancher?.environment);
  const warnings: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    const filled = interpolateService(svc, vars);
    // Bare names and wildcards resolved here, so a changed rancher.environment changes the definition's hash.
    services[name] = filled.svc.environment === undefined ? filled.svc : { ...filled.svc, environment: envList(filled.svc.environment, vars) };
    if (filled.missing.length > 0) warnings.push(`service ${name}: ${filled.missing.map((v) => `\${${v}}`).join(', ')} not set in rancher.environment: empty`);
  }
  const expanded = expandAllVolumeSets(services);
  // rancher.docker configures the user dockerd, which is the `docker` service.
  if (expanded.docker) expanded.docker = withDaemonSettings(expanded.docker, daemonConfig(config.rancher, 'docker'));
  return { services: expanded, problems, warnings };
}

/** The services of one scope: `system` ones run in system-docker, `user` ones in the user Docker. */
export function ofScope(services: ServiceMap, scope: 'system' | 'user'): ServiceMap {
  return Object.fromEntries(Object.entries(services).filter(([, svc]) => scopeOf(svc) === scope));
}

/** What a service of `scope` may be ordered after without defining it: the boot stages, and for user services the system ones (they started first). */
export function reachedBefore(services: ServiceMap, scope: 'system' | 'user'): ReadonlySet<string> {
  return scope === 'system' ? REACHED_BY_BOOT : new Set([...REACHED_BY_BOOT, ...Object.keys(ofScope(services, 'system'))]);
}
