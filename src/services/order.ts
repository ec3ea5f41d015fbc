// Start order from io.rancher.os.after / io.rancher.os.before (pure).
// Services with no path between them land in the same group and start in
// parallel. Cycles and missing dependencies are errors that name the
// services; everything not caught in them still gets ordered.
import { LABEL, type ServiceMap } from '../config/service-types';
import { labelList } from './labels';

export interface OrderProblem {
  code: 'missing-dependency' | 'cycle';
  services: string[];
  message: string;
}

export interface StartOrder {
  /** groups[i] may start once every group before it is up. */
  groups: string[][];
  /** name → services it waits for (present ones only). */
  deps: Map<string, Set<string>>;
  problems: OrderProblem[];
}

/**
 * RancherOS services that are boot stages in ros (the network is up and
 * devices are settled before any service starts): a service ordered after
 * one of them, as 15 of the public RancherOS service files are, has what it
 * waits for.
 */
export const REACHED_BY_BOOT: ReadonlySet<string> = new Set(['network', 'udev', 'cloud-init', 'cloud-init-pre', 'preload-user-images', 'wait-for-network']);

/** `reached`: names already up when these services start — boot stages, and for user services the system ones. */
export function startOrder(services: ServiceMap, reached: ReadonlySet<string> = REACHED_BY_BOOT): StartOrder {
  const names = Object.keys(services).sort();
  const deps = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  const problems: OrderProblem[] = [];
  for (const name of names) {
    const svc = services[name];
    if (!svc) continue;
    for (const dep of labelList(svc, LABEL.after)) {
      if (deps.has(dep)) deps.get(name)?.add(dep);
      else if (reached.has(dep)) continue;
      else problems.push({ code: 'missing-dependency', services: [name, dep], message: `service ${name} starts after ${dep}, which is not defined` });
    }
    for (const later of labelList(svc, LABEL.before)) {
      if (deps.has(later)) deps.get(later)?.add(name);
      else problems.push({ code: 'missing-dependency', services: [name, later], message: `service ${name} starts before ${later}, which is not defined` });
    }
  }
  const groups: string[][] = [];
  const placed = new Set<string>();
  for (;;) {
    const ready = names.filter((n) => !placed.has(n) && [...(deps.get(n) ?? [])].every((d) => placed.has(d)));
    if (ready.length === 0) break;
    ready.forEach((n) => placed.add(n));
    groups.push(ready);
  }
  const stuck = names.filter((n) => !placed.has(n));
  if (stuck.length > 0) {
    problems.push({ code: 'cycle', services: stuck, message: `dependency cycle (or waiting on one) among: ${stuck.join(', ')}` });
  }
  return { groups, deps, problems };
}
