// Variables in service definitions (pure), as docker-compose and RancherOS
// substituted them: `${NAME}`, `$NAME`, `${NAME:-default}` (unset or empty),
// `${NAME-default}` (unset), and `$$` for a literal `$`, in every string of a
// definition — `image: ${REGISTRY_DOMAIN}/burmilla/os-foo:v1${SUFFIX}` is how
// every RancherOS service file names its image. The values come from
// rancher.environment, over the defaults RancherOS' own os-config set.
import type { ComposeService } from '../config/service-types';
import { version } from '../version';

/**
 * What RancherOS' os-config set in rancher.environment, and ROS_VERSION (the running
 * version, the tag of ros/os-base, so a user's service on the system image follows
 * upgrades as the built-in ones do); a config's own values win.
 */
const DEFAULTS: Record<string, string> = { REGISTRY_DOMAIN: 'docker.io', SUFFIX: '', ARCH: 'amd64', ROS_VERSION: version };

export function serviceVars(environment: Record<string, string> = {}): Record<string, string> {
  return { ...DEFAULTS, ...environment };
}

const VAR = /\$(?:\$|\{(\w+)(?:(:?-)([^}]*))?\}|(\w+))/g;

/** One string with its variables filled; `missing` collects the names that were not set. */
export function fill(text: string, vars: Record<string, string>, missing: Set<string>): string {
  return text.replace(VAR, (whole, braced?: string, op?: string, fallback?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (op === ':-') return value === undefined || value === '' ? (fallback ?? '') : value;
    if (op === '-') return value ?? fallback ?? '';
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
}

/** A definition with every string (values, list items, map values) filled; keys are left as written. */
export function interpolateService(svc: ComposeService, vars: Record<string, string>): { svc: ComposeService; missing: string[] } {
  const missing = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fill(v, vars, missing);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { svc: walk(svc) as ComposeService, missing: [...missing].sort() };
}
