// The kernel command line, parsed once (pure). RancherOS rules: `rancher.a.b=v`
// sets the key path rancher.a.b to v parsed as YAML, `cc.key=v` a top-level
// key; words after `--` go to init only and are hidden from /proc/cmdline
// readers (the kernel passes them as argv). Every word becomes its own layer,
// validated alone: a bad word is dropped with its reason and the rest apply.
// Init parses it in the cmdline stage and publishes the result; storage,
// config, the console and the CLI all read that one result (node.ts).
// docs/architecture.md, "The kernel command line".
import { parse as parseYaml } from 'yaml';
import { YAML_OPTIONS } from './yaml';
import type { Diagnostic } from './diagnostic';
import { mergeLayers } from './merge';
import type { RosConfig } from './types';
import { validateValue } from './validate';

export interface CmdlineWord {
  key: string;
  value: string | undefined;
}

/** Splits a cmdline into words, honouring double quotes like the kernel does. */
export function splitCmdline(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quoted = false;
  let has = false;
  for (const ch of text.trim()) {
    if (ch === '"') {
      quoted = !quoted;
      has = true;
    } else if (/\s/.test(ch) && !quoted) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

export function parseWord(word: string): CmdlineWord {
  const eq = word.indexOf('=');
  return eq < 0 ? { key: word, value: undefined } : { key: word.slice(0, eq), value: word.slice(eq + 1) };
}

/** A YAML scalar or flow value as RancherOS reads it; a bare key means `true`. */
export function parseValue(value: string | undefined): unknown {
  if (value === undefined) return true;
  try {
    return parseYaml(value, YAML_OPTIONS) ?? '';
  } catch {
    return value;
  }
}

/** Key parts that would write through to Object.prototype instead of a plain key. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  if (path.some((p) => UNSAFE_KEYS.has(p))) return;
  let node = target;
  path.forEach((part, i) => {
    if (i === path.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  });
}

/**
 * The config layer of one word: `rancher.*` words, and `cc.*` words whose keys
 * are top-level cloud-config keys; null for any other word.
 */
export function wordLayer(word: string): Record<string, unknown> | null {
  const { key, value } = parseWord(word);
  const parts = key.split('.').filter((p) => p !== '');
  if (parts.length < 2 || (parts[0] !== 'rancher' && parts[0] !== 'cc')) return null;
  const out: Record<string, unknown> = {};
  setPath(out, parts[0] === 'cc' ? parts.slice(1) : parts, parseValue(value));
  return out;
}

/** Words before `--` (visible in /proc/cmdline) and after it (init's argv only). */
export function splitInitArgs(words: string[]): { kernel: string[]; init: string[] } {
  const i = words.indexOf('--');
  return i < 0 ? { kernel: words, init: [] } : { kernel: words.slice(0, i), init: words.slice(i + 1) };
}

export const CMDLINE_SOURCE = 'kernel cmdline';

/** One config word that validated: its text and the layer it gives. */
export interface CmdlineLayer {
  word: string;
  value: Record<string, unknown>;
}

/** The kernel command line as every part of ros sees it. */
export interface Cmdline {
  /** Words before `--`: what /proc/cmdline shows to everyone but init. */
  kernel: string[];
  /** Words after `--`: init's own. */
  init: string[];
  /** One layer per `rancher.*` / `cc.*` word that validated, in order (later wins). */
  layers: CmdlineLayer[];
  /** Words dropped, each with its reason; the rest of the cmdline still applies. */
  dropped: Diagnostic[];
  /** Words that applied only in part (a RancherOS key ros ignores). */
  warnings: Diagnostic[];
  /** The layers merged: what the cmdline sets. */
  config: RosConfig;
}

/**
 * Parses /proc/cmdline and init's argv. The kernel keeps the words after `--`
 * in /proc/cmdline and also passes them as init's argv; either source works.
 */
export function parseCmdline(procCmdline: string, initArgv: string[] = []): Cmdline {
  const split = splitInitArgs(splitCmdline(procCmdline));
  const kernel = split.kernel;
  const init = split.init.length > 0 ? split.init : initArgv;
  const layers: CmdlineLayer[] = [];
  const dropped: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  for (const word of [...kernel, ...init]) {
    const layer = wordLayer(word);
    if (!layer) continue;
    // `hostname=1234`: where a string is wanted, the word's text, as in a file.
    const { key, value: raw } = parseWord(word);
    const at = key.split('.').filter((p) => p !== '').slice(key.startsWith('cc.') ? 1 : 0).join('.');
    const checked = validateValue(layer, CMDLINE_SOURCE, 'cmdline', (path) => (path.join('.') === at ? raw : undefined));
    if (checked.ok) {
      warnings.push(...checked.warnings.map((d) => ({ ...d, message: `${d.message} (word ${JSON.stringify(word)})` })));
      if (Object.keys(checked.config).length > 0) layers.push({ word, value: checked.config as Record<string, unknown> });
      continue;
    }
    for (const d of checked.diagnostics) dropped.push({ ...d, message: `${d.message}${hint(d, word)}; the word ${JSON.stringify(word)} is ignored` });
  }
  return { kernel, init, layers, dropped, warnings, config: mergeLayers<RosConfig>(layers.map((l) => l.value)) };
}

/** How to write a list on the cmdline, when a list was wanted. */
function hint(d: Diagnostic, word: string): string {
  if (d.code !== 'type' || !/expected a list/.test(d.message)) return '';
  const { key, value } = parseWord(word);
  return ` (a list is written ${key}=[${value ?? ''}])`;
}

