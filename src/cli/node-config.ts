// The node's config as the CLI sees it: paths (overridable for tests off a
// ros host), the cmdline layers init published, validated atomic writes.
import { existsSync, readFileSync } from 'node:fs';
import { atomicWrite } from '../sys/atomic-write';
import { cmdlineConfig, splitCmdline, splitInitArgs } from '../sys/cmdline';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import { loadConfig } from '../config/load';
import { validateConfig } from '../config/validate';
import { CLOUD_CONFIG, CLOUD_CONFIG_D, OS_CONFIG } from '../config/paths';
import type { RosConfig } from '../config/types';
import { ConfigError } from './errors';

/** Paths, overridable for tests run off a ros host. */
export function configPaths(env = process.env) {
  const dir = env.ROS_CONF_DIR;
  return {
    osConfig: env.ROS_OS_CONFIG ?? OS_CONFIG,
    cloudConfigDir: dir ? `${dir}/cloud-config.d` : CLOUD_CONFIG_D,
    cloudConfig: dir ? `${dir}/cloud-config.yml` : CLOUD_CONFIG,
  };
}

/** What init read from the cmdline (it alone sees the words after `--`), else /proc/cmdline. */
export function cmdlineLayers(): Record<string, unknown>[] {
  try {
    return JSON.parse(readFileSync('/run/ros/cmdline-config.json', 'utf8')) as Record<string, unknown>[];
  } catch {
    /* not on a ros host, or not readable: fall back */
  }
  try {
    const { kernel } = splitInitArgs(splitCmdline(readFileSync('/proc/cmdline', 'utf8')));
    return [cmdlineConfig(kernel)];
  } catch {
    return [];
  }
}

export function failOn(diagnostics: Diagnostic[], what: string): never {
  throw new ConfigError(`${what}:\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
}

/** Validates `text` as the new cloud-config.yml and writes it atomically (0600). */
export function writeValidated(text: string, file: string): void {
  const result = validateConfig(text, file);
  if (!result.ok) failOn(result.diagnostics, `refused: the result would not be a valid cloud-config (${file} unchanged)`);
  atomicWrite(file, text, 0o600);
}

export const current = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

/** The config in force: every layer, the cmdline included. */
export function nodeConfig(): RosConfig {
  return loadConfig({ ...configPaths(), cmdlineLayers: cmdlineLayers() }).config;
}
