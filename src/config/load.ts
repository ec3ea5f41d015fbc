// The layered config (docs/architecture.md, "Config layers"): defaults < cloud-config.d/*.yml (name order)
// < cloud-config.yml < cmdline. A layer that fails to load is reported and
// skipped; the others still apply.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import type { Cmdline } from './cmdline';
import type { Diagnostic } from './diagnostic';
import { tooLarge } from './parse';
import { validateConfig } from './validate';
import { mergeLayers } from './merge';
import { CLOUD_CONFIG, CLOUD_CONFIG_D, OS_CONFIG } from './paths';
import type { RosConfig } from './types';

export interface LoadedConfig {
  config: RosConfig;
  diagnostics: Diagnostic[];
  /** Problems that did not stop a layer from applying (e.g. ignored RancherOS keys). */
  warnings: Diagnostic[];
  /** Files that contributed, in merge order. */
  sources: string[];
}

export interface LoadOptions {
  osConfig?: string;
  cloudConfigDir?: string;
  cloudConfig?: string;
  /** The kernel cmdline, parsed once (its layers are already validated). */
  cmdline?: Cmdline;
}

export function layerFiles(opts: LoadOptions = {}): string[] {
  const dir = opts.cloudConfigDir ?? CLOUD_CONFIG_D;
  let dropIns: string[] = [];
  try {
    dropIns = readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml')).sort().map((f) => `${dir}/${f}`);
  } catch {
    /* no drop-in dir */
  }
  return [opts.osConfig ?? OS_CONFIG, ...dropIns, opts.cloudConfig ?? CLOUD_CONFIG];
}

/**
 * A config file's bytes, or why they cannot be read. A file over the size
 * limit is refused by its size, without reading it.
 */
export function readConfigFile(file: string): { bytes: Buffer } | { diagnostic: Diagnostic } {
  try {
    const big = tooLarge(statSync(file).size, file);
    if (big) return { diagnostic: big };
    return { bytes: readFileSync(file) };
  } catch (err) {
    return { diagnostic: { code: 'unreadable', message: (err as Error).message, file, path: '' } };
  }
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const layers: unknown[] = [];
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const sources: string[] = [];
  for (const file of layerFiles(opts)) {
    if (!existsSync(file)) continue;
    const read = readConfigFile(file);
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const result = validateConfig(read.bytes, file);
    if (result.ok) {
      layers.push(result.config);
      warnings.push(...result.warnings);
      sources.push(file);
    } else {
      diagnostics.push(...result.diagnostics);
    }
  }
  if (opts.cmdline) {
    layers.push(...opts.cmdline.layers.map((l) => l.value));
    diagnostics.push(...opts.cmdline.dropped);
    warnings.push(...opts.cmdline.warnings);
  }
  return { config: mergeLayers<RosConfig>(layers), diagnostics, warnings, sources };
}
