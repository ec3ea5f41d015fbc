// Reconciling services with what runs (pure): plan(desired, observed) says,
// for every service and every container ros made, what to do and why.
// observe.ts reads the two inputs from a daemon, apply.ts carries the plan
// out, `ros service up --dry-run` prints it. docs/architecture.md, "Services".
import { LABEL, type ComposeService } from '../config/service-types';
import { isOneShot, labelsOf } from './labels';

/** A service that should run, with the hash of what its container must be made from. */
export interface Desired {
  name: string;
  svc: ComposeService;
  /** definitionHash() of the definition and its image id; null when the image is not on the daemon. */
  hash: string | null;
}

/** A container the daemon has, as `docker ps -a` lists it. */
export interface Observed {
  name: string;
  /** The definition hash ros labels its containers with; undefined on a container ros did not make. */
  hash: string | undefined;
  running: boolean;
  /** Docker's word for its state: created, running, exited, … */
  state: string;
}

export type ActionKind = 'create' | 'recreate' | 'start' | 'leave' | 'remove' | 'fail';

export interface Action {
  name: string;
  kind: ActionKind;
  reason: string;
  /** After create, recreate or start: start the container (false for io.rancher.os.createonly). */
  start: boolean;
  /** Wait for the container to exit (a one-shot, io.rancher.os.detach "false"). */
  wait: boolean;
  /** The definition hash a created container is labelled with. */
  hash: string | null;
}

export interface PlanOptions {
  /** Remove the containers ros made for services no longer wanted (a whole reconcile, not `up NAME`). */
  prune: boolean;
}

const isCreateOnly = (svc: ComposeService) => labelsOf(svc)[LABEL.createonly] === 'true';

function planOne(d: Desired, c: Observed | undefined): Action {
  const createOnly = isCreateOnly(d.svc);
  const oneShot = isOneShot(d.svc);
  const act = (kind: ActionKind, reason: string): Action => ({ name: d.name, kind, reason, start: !createOnly && kind !== 'leave' && kind !== 'fail', wait: oneShot, hash: d.hash });
  const only = createOnly ? ' (create only)' : '';
  if (d.hash === null) return act('fail', `image ${d.svc.image} is not on this daemon`);
  if (!c) return act('create', `no container${only}`);
  if (c.hash === undefined) return act('recreate', `the container ${d.name} was not made by ros from a definition${only}`);
  if (c.hash !== d.hash) return act('recreate', `definition or image changed (${c.hash} → ${d.hash})${only}`);
  if (['always', 'true'].includes(labelsOf(d.svc)[LABEL.rebuild] ?? '')) return act('recreate', `${LABEL.rebuild}: rebuilt at every up${only}`);
  if (c.running) return act('leave', 'running, definition unchanged');
  if (createOnly) return act('leave', `${c.state}, definition unchanged (create only)`);
  return act('start', oneShot ? `one-shot, ${c.state}: runs again` : `${c.state}, definition unchanged`);
}

/** Actions for every desired service (in the order given), then removals, by name. */
export function plan(desired: Desired[], observed: Observed[], opts: PlanOptions): Action[] {
  const byName = new Map(observed.map((c) => [c.name, c]));
  const wanted = new Set(desired.map((d) => d.name));
  const actions = desired.map((d) => planOne(d, byName.get(d.name)));
  if (opts.prune) {
    for (const c of [...observed].sort((a, b) => a.name.localeCompare(b.name))) {
      if (c.hash === undefined || wanted.has(c.name)) continue; // not ros', or still wanted
      actions.push({ name: c.name, kind: 'remove', reason: c.running ? 'not enabled any more, and running' : 'not enabled any more', start: false, wait: false, hash: null });
    }
  }
  return actions;
}
