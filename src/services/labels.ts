// Reading RancherOS labels off a compose service.
import { LABEL, type ComposeService } from '../config/service-types';

export function labelsOf(svc: ComposeService): Record<string, string> {
  if (!svc.labels) return {};
  if (!Array.isArray(svc.labels)) return { ...svc.labels };
  const out: Record<string, string> = {};
  for (const kv of svc.labels) {
    const eq = kv.indexOf('=');
    if (eq < 0) out[kv] = '';
    else out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

/** Comma-separated service names in a label. */
export function labelList(svc: ComposeService, key: string): string[] {
  return (labelsOf(svc)[key] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function scopeOf(svc: ComposeService): 'system' | 'user' {
  return labelsOf(svc)[LABEL.scope] === 'user' ? 'user' : 'system';
}

/** detach "false" = a one-shot that must run to completion. */
export function isOneShot(svc: ComposeService): boolean {
  return labelsOf(svc)[LABEL.detach] === 'false';
}
