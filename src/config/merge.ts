// Layer merging: maps merge key by key, everything else (lists included) is
// replaced by the later layer — RancherOS semantics.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = key in out ? deepMerge(out[key], value) : value;
  }
  return out as T;
}

export function mergeLayers<T>(layers: unknown[]): T {
  return layers.reduce<unknown>((acc, layer) => deepMerge(acc, layer), {}) as T;
}

/** Reads a dotted key path; undefined when any part is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let node = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (!isPlainObject(node)) return undefined;
    node = node[part];
  }
  return node;
}
