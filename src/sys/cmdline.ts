// Kernel command line parsing (pure). RancherOS rules: `rancher.a.b=v` sets
// the key path rancher.a.b to v parsed as YAML; words after `--` go to init
// only and are hidden from /proc/cmdline readers (the kernel passes them as argv).
import { parse as parseYaml } from 'yaml';

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
    return parseYaml(value) ?? '';
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
 * Builds the config layer given by `rancher.*` words (and `cc.*` words, whose
 * keys are top-level cloud-config keys). Other words are ignored.
 */
export function cmdlineConfig(words: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const word of words) {
    const { key, value } = parseWord(word);
    const parts = key.split('.').filter((p) => p !== '');
    if (parts[0] === 'rancher' && parts.length > 1) setPath(out, parts, parseValue(value));
    else if (parts[0] === 'cc' && parts.length > 1) setPath(out, parts.slice(1), parseValue(value));
  }
  return out;
}

/** Words before `--` (visible in /proc/cmdline) and after it (init's argv only). */
export function splitInitArgs(words: string[]): { kernel: string[]; init: string[] } {
  const i = words.indexOf('--');
  return i < 0 ? { kernel: words, init: [] } : { kernel: words.slice(0, i), init: words.slice(i + 1) };
}
