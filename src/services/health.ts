// Health checks: compose durations → nanoseconds, the Docker Healthcheck
// object, and how long a dependent waits for "healthy" (pure).
import type { HealthCheck } from '../config/service-types';

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** `1m30s` → 90e9; undefined for a malformed duration. */
export function durationNs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_NS[p[2] ?? 's'] ?? 0), 0);
}

export interface DockerHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

export function dockerHealthcheck(h: HealthCheck | undefined): DockerHealthcheck | undefined {
  if (!h) return undefined;
  if (h.disable) return { Test: ['NONE'] };
  const test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : h.test;
  return { Test: test, Interval: durationNs(h.interval), Timeout: durationNs(h.timeout), Retries: h.retries, StartPeriod: durationNs(h.start_period) };
}

/** How long dependents wait: the grace period plus every allowed failure, plus slack. */
export function healthWaitMs(h: HealthCheck): number {
  const s = (d: string | undefined, dflt: number) => (durationNs(d) ?? dflt * 1e9) / 1e6;
  return s(h.start_period, 0) + (h.retries ?? 3) * (s(h.interval, 30) + s(h.timeout, 30)) + 5000;
}
