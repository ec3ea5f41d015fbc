// A node's config as a reader that is not PID 1 sees it (the console, the
// CLI): the files of each layer, and the kernel cmdline as init parsed and
// published it. Paths can be moved under another root, for a node's files
// looked at from elsewhere (`ros --root DIR`, tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCmdline, type Cmdline } from './cmdline';
import { loadConfig, type LoadedConfig } from './load';
import { CATALOGUE_DIR, CLOUD_CONFIG, CLOUD_CONFIG_D, CMDLINE_JSON, CONF_DIR, OS_CONFIG, SERVICE_CACHE_DIR } from './paths';

export interface NodePaths {
  /** `/` on the node itself. */
  root: string;
  osConfig: string;
  cloudConfigDir: string;
  cloudConfig: string;
  catalogue: string;
  serviceCache: string;
  cmdlineJson: string;
  /** The node's own /proc/cmdline; null when looking at a node's files from elsewhere. */
  procCmdline: string | null;
}

export interface NodePathOptions {
  /** Everything under this directory instead of `/`. */
  root?: string;
  /** The conf directory (cloud-config.yml, cloud-config.d) alone somewhere else. */
  confDir?: string;
  /** The image defaults somewhere else. */
  osConfig?: string;
}

export function nodePaths(opts: NodePathOptions = {}): NodePaths {
  const root = opts.root ?? '/';
  const at = (p: string) => join(root, p);
  const conf = opts.confDir ?? at(CONF_DIR);
  const elsewhere = root !== '/' || opts.confDir !== undefined;
  return {
    root,
    osConfig: opts.osConfig ?? at(OS_CONFIG),
    cloudConfigDir: opts.confDir ? `${conf}/cloud-config.d` : at(CLOUD_CONFIG_D),
    cloudConfig: opts.confDir ? `${conf}/cloud-config.yml` : at(CLOUD_CONFIG),
    catalogue: at(CATALOGUE_DIR),
    serviceCache: at(SERVICE_CACHE_DIR),
    cmdlineJson: at(CMDLINE_JSON),
    procCmdline: elsewhere ? null : '/proc/cmdline',
  };
}

/** What init published; without it (not readable, or not a ros node) the visible /proc/cmdline, parsed the same way. */
export function readCmdline(paths: NodePaths): Cmdline {
  try {
    const published = JSON.parse(readFileSync(paths.cmdlineJson, 'utf8')) as Cmdline;
    if (Array.isArray(published.kernel) && Array.isArray(published.layers)) return published;
  } catch {
    /* not published, or not ours to read (it is 0600): fall back */
  }
  let text = '';
  try {
    if (paths.procCmdline) text = readFileSync(paths.procCmdline, 'utf8');
  } catch {
    /* no /proc: no cmdline */
  }
  return parseCmdline(text);
}

/** Every layer, the cmdline included: the config in force. */
export function loadNodeConfig(paths: NodePaths, cmdline: Cmdline = readCmdline(paths)): LoadedConfig {
  return loadConfig({ osConfig: paths.osConfig, cloudConfigDir: paths.cloudConfigDir, cloudConfig: paths.cloudConfig, cmdline });
}
