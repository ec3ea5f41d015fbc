// Which modules drive the hardware that is present: the kernel publishes each
// device's modalias in sysfs, modules.alias maps glob patterns to modules.
// This is udev's coldplug, done once at boot without udev
// (docs/architecture.md, "The boot", kernel stage).
import { readFileSync, readdirSync } from 'node:fs';
import { moduleName } from './modules';

export interface AliasRule {
  glob: string;
  /** The glob up to its first wildcard: most rules fail on it, cheaply. */
  prefix: string;
  module: string;
}

const WILD = /[*?[]/;

/**
 * Pure: fnmatch(3) without flags: `*`, `?`, `[...]` and `[!...]` (ranges
 * too). Hand-written, not a RegExp per rule: V8 compiles each RegExp on its
 * first use, and a boot compiling hundreds cost seconds under emulation.
 */
export function fnmatch(glob: string, s: string): boolean {
  let g = 0;
  let i = 0;
  let star = -1; // the glob position after the last '*', and where in s it matched up to
  let mark = 0;
  while (i < s.length) {
    const c = glob[g];
    if (c === '*') {
      star = ++g;
      mark = i;
      continue;
    }
    const step = c === undefined ? -1 : matchOne(glob, g, s[i]!);
    if (step > 0) {
      g += step;
      i++;
    } else if (star >= 0) {
      g = star;
      i = ++mark;
    } else return false;
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/** How many glob characters matched `ch` at `g` (1, or a whole bracket set), or 0 if it did not match. */
function matchOne(glob: string, g: number, ch: string): number {
  const c = glob[g]!;
  if (c === '?') return 1;
  if (c !== '[') return c === ch ? 1 : 0;
  const end = glob.indexOf(']', g + 2);
  if (end < 0) return ch === '[' ? 1 : 0; // an unclosed '[' is itself
  let k = g + 1;
  const negate = glob[k] === '!';
  if (negate) k++;
  let hit = false;
  for (; k < end; k++) {
    if (glob[k + 1] === '-' && k + 2 < end) {
      if (ch >= glob[k]! && ch <= glob[k + 2]!) hit = true;
      k += 2;
    } else if (glob[k] === ch) hit = true;
  }
  return hit !== negate ? end - g + 1 : 0;
}

/** Pure: the rules of a modules.alias file (`alias <glob> <module>` lines), of `wanted` modules only. */
export function parseAliases(text: string, wanted: ReadonlySet<string>): AliasRule[] {
  const rules: AliasRule[] = [];
  for (const line of text.split('\n')) {
    const [word, glob, module] = line.trim().split(/\s+/);
    if (word !== 'alias' || !glob || !module || !wanted.has(moduleName(module))) continue;
    const wild = glob.search(WILD);
    rules.push({ glob, prefix: wild < 0 ? glob : glob.slice(0, wild), module: moduleName(module) });
  }
  return rules;
}

/** Pure: the modules whose rules match a device's modalias, once each, in the order of the devices. */
export function modulesFor(modaliases: string[], rules: AliasRule[]): string[] {
  const out = new Set<string>();
  for (const alias of modaliases) {
    for (const r of rules) if (!out.has(r.module) && alias.startsWith(r.prefix) && fnmatch(r.glob, alias)) out.add(r.module);
  }
  return [...out];
}

/** The modalias of every device on `buses` (sysfs), e.g. `pci:v00001AF4d00001041…`. */
export function presentModaliases(buses: readonly string[], sys = '/sys'): string[] {
  const out: string[] = [];
  for (const bus of buses) {
    let devices: string[];
    try {
      devices = readdirSync(`${sys}/bus/${bus}/devices`);
    } catch {
      continue; // no such bus on this machine (no Xen, no Hyper-V)
    }
    for (const dev of devices) {
      try {
        const alias = readFileSync(`${sys}/bus/${bus}/devices/${dev}/modalias`, 'utf8').trim();
        if (alias) out.push(alias);
      } catch {
        /* a device without a modalias */
      }
    }
  }
  return out;
}
