// The layered config (docs/architecture.md, "Config layers"): defaults < cloud-config.d/*.yml (name order)
// < cloud-config.yml < cmdline. A layer that fails to load is reported and
// skipped; the others still apply.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Diagnostic } from './diagnostic';
import { validateConfig, validateValue } from './validate';
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
  /** Layers given by the kernel cmdline, lowest first. */
  cmdlineLayers?: Record<string, unknown>[];
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

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const layers: unknown[] = [];
  const diagnostics: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const sources: string[] = [];
  for (const file of layerFiles(opts)) {
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      diagnostics.push({ code: 'unreadable', message: (err as Error).message, file, path: '' });
      continue;
    }
    const result = validateConfig(text, file);
    if (result.ok) {
      layers.push(result.config);
      warnings.push(...result.warnings);
      sources.push(file);
    } else {
      diagnostics.push(...result.diagnostics);
    }
  }
  for (const layer of opts.cmdlineLayers ?? []) {
    const result = validateValue(layer, 'kernel cmdline');
    if (result.ok) layers.push(layer);
    else diagnostics.push(...result.diagnostics);
  }
  return { config: mergeLayers<RosConfig>(layers), diagnostics, warnings, sources };
}
