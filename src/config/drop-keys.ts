// Dropping keys from a config value with one warning each (pure): RancherOS
// keys ros does not implement, and keys only the kernel command line may set.
import type { Diagnostic } from './diagnostic';
import { isPlainObject } from './merge';
import type { Position } from './parse';

/** A copy of `value` without the dotted `keys` it holds, and a warning for each one removed. */
export function dropKeys(
  value: Record<string, unknown>,
  keys: readonly string[],
  warning: { code: string; message: string; file: string },
  where: (path: string[]) => Position | undefined,
): { value: Record<string, unknown>; warnings: Diagnostic[] } {
  const warnings: Diagnostic[] = [];
  let copy = value;
  for (const dotted of keys) {
    const path = dotted.split('.');
    const last = path[path.length - 1] ?? '';
    const holds = (root: unknown) => {
      const parent = path.slice(0, -1).reduce<unknown>((node, k) => (isPlainObject(node) ? node[k] : undefined), root);
      return isPlainObject(parent) && last in parent ? parent : undefined;
    };
    if (!holds(copy)) continue;
    if (copy === value) copy = structuredClone(value); // copied once, only when something goes
    delete holds(copy)?.[last];
    warnings.push({ code: warning.code, message: warning.message, file: warning.file, path: dotted, ...where(path) });
  }
  return { value: copy, warnings };
}
