// Kernel modules: resolve dependencies from modules.dep (pure) and load them
// with finit_module(2), dependencies first. Replaces modprobe: no fork per module.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { native } from './native';

/** module name → { path relative to the modules dir, dependency paths } */
export type ModuleIndex = Map<string, { path: string; deps: string[] }>;

/** Module names treat '-' and '_' alike, as the kernel does. */
export function moduleName(pathOrName: string): string {
  return basename(pathOrName).replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

export function parseModulesDep(text: string): ModuleIndex {
  const index: ModuleIndex = new Map();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    const deps = line.slice(colon + 1).trim().split(/\s+/).filter(Boolean);
    index.set(moduleName(path), { path, deps });
  }
  return index;
}

/**
 * Paths to load, in order, so that every module comes after its dependencies.
 * modules.dep lists the full transitive closure for each module, deepest last.
 * Unknown names are returned separately (they may be built into the kernel).
 */
export function loadOrder(index: ModuleIndex, names: string[]): { paths: string[]; unknown: string[] } {
  const paths: string[] = [];
  const seen = new Set<string>();
  const unknown: string[] = [];
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const entry = index.get(moduleName(path));
    for (const dep of [...(entry?.deps ?? [])].reverse()) visit(dep);
    paths.push(path);
  };
  for (const name of names) {
    const entry = index.get(moduleName(name));
    if (!entry) unknown.push(name);
    else visit(entry.path);
  }
  return { paths, unknown };
}

export function modulesDir(release: string): string {
  return `/lib/modules/${release}`;
}

export function builtinModules(dir: string): Set<string> {
  const file = `${dir}/modules.builtin`;
  if (!existsSync(file)) return new Set();
  return new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean).map(moduleName));
}

export interface LoadReport {
  loaded: string[];
  failed: { module: string; error: string }[];
  missing: string[];
  /** Drivers for hardware this machine does not have (ENODEV), e.g. crc32c_intel without SSE4.2. */
  noDevice: string[];
}

interface LoadPlan {
  dir: string;
  paths: string[];
  report: LoadReport;
}

function planLoad(release: string, names: string[]): LoadPlan {
  const dir = modulesDir(release);
  const report: LoadReport = { loaded: [], failed: [], missing: [], noDevice: [] };
  let index: ModuleIndex;
  try {
    index = parseModulesDep(readFileSync(`${dir}/modules.dep`, 'utf8'));
  } catch (err) {
    report.failed.push({ module: `${dir}/modules.dep`, error: (err as Error).message });
    return { dir, paths: [], report };
  }
  const builtin = builtinModules(dir);
  const { paths, unknown } = loadOrder(index, names);
  report.missing = unknown.filter((n) => !builtin.has(moduleName(n)));
  return { dir, paths, report };
}

function loadOne(dir: string, path: string, report: LoadReport): void {
  try {
    native().finitModule(`${dir}/${path}`, '');
    report.loaded.push(moduleName(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // The initramfs' early /init loads what mounting the root needs (loop, squashfs, overlay).
    if (code === 'EEXIST') report.loaded.push(moduleName(path));
    else if (code === 'ENODEV') report.noDevice.push(moduleName(path));
    else report.failed.push({ module: moduleName(path), error: (err as Error).message });
  }
}

/** Loads modules and their dependencies; never throws, reports per module. */
export function loadModules(release: string, names: string[]): LoadReport {
  const { dir, paths, report } = planLoad(release, names);
  for (const path of paths) loadOne(dir, path, report);
  return report;
}

/**
 * As loadModules, but gives the event loop back after each module. A load
 * blocks the calling thread (~60 ms a module under emulation, mostly outside
 * the module's own init), so a long list loaded this way runs beside the
 * boot's waits (a disk, a lease, a daemon's socket) instead of before them.
 */
export async function loadModulesInTurns(release: string, names: string[]): Promise<LoadReport> {
  const { dir, paths, report } = planLoad(release, names);
  for (const path of paths) {
    loadOne(dir, path, report);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return report;
}
