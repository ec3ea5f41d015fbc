// Dropping keys from a config value with one warning each (pure): RancherOS
// keys ros does not implement, and keys only the kernel command line may set.
import type { Diagnostic } from './diagnostic';
import { isPlainObject } from './merge';
import type { Position } from './parse';

/**
 * A dotted key to drop; `*` matches any one key (`rancher.network.interfaces.*.vlans`).
 * With `when`, only values it accepts are dropped (`rancher.log: true` is
 * RancherOS', `rancher.log: {level: …}` is ros').
 */
export type DropRule = string | { key: string; when: (value: unknown) => boolean };

/** The concrete paths in `root` that `pattern` names. */
function matches(root: unknown, pattern: string[]): string[][] {
  let found: { node: unknown; path: string[] }[] = [{ node: root, path: [] }];
  pattern.forEach((part, i) => {
    const last = i === pattern.length - 1;
    found = found.flatMap(({ node, path }) => {
      if (!isPlainObject(node)) return [];
      const keys = part === '*' ? Object.keys(node) : part in node ? [part] : [];
      return keys.filter((k) => last || isPlainObject(node[k])).map((k) => ({ node: node[k], path: [...path, k] }));
    });
  });
  return found.map((f) => f.path);
}

/** A copy of `value` without the keys `rules` name, and a warning for each one removed. */
export function dropKeys(
  value: Record<string, unknown>,
  rules: readonly DropRule[],
  warning: { code: string; message: string; file: string },
  where: (path: string[]) => Position | undefined,
): { value: Record<string, unknown>; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  let copy = value;
  for (const rule of rules) {
    const { key, when } = typeof rule === 'string' ? { key: rule, when: () => true } : rule;
    for (const path of matches(copy, key.split('.'))) {
      const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], copy) as Record<string, unknown>;
      const last = path.at(-1) ?? '';
      if (!when(parent[last])) continue;
      if (copy === value) copy = structuredClone(value); // copied once, only when something goes
      delete (path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], copy) as Record<string, unknown>)[last];
      warnings.push({ code: warning.code, message: warning.message, file: warning.file, path: path.join('.'), ...where(path) });
    }
  }
  return { value: copy, warnings };
}
