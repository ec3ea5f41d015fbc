// The reconciler's decisions, from desired and observed states as data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plan, type Desired, type Observed } from '../../../src/services/plan';
import type { ComposeService } from '../../../src/config/service-types';

const svc = (labels: Record<string, string> = {}): ComposeService => ({ image: 'busybox', labels });
const want = (name: string, hash: string | null, labels?: Record<string, string>): Desired => ({ name, svc: svc(labels), hash });
const has = (name: string, hash: string | undefined, state = 'running'): Observed => ({ name, hash, running: state === 'running', state });
const summary = (desired: Desired[], observed: Observed[], prune = false) =>
  plan(desired, observed, { prune }).map((a) => [a.name, a.kind, a.reason, a.start, a.wait]);

describe('plan', () => {
  it('creates what has no container, and starts it', () => {
    assert.deepEqual(summary([want('ntp', 'h1')], []), [['ntp', 'create', 'no container', true, false]]);
  });

  it('leaves what runs from the same definition', () => {
    assert.deepEqual(summary([want('ntp', 'h1')], [has('ntp', 'h1')]), [['ntp', 'leave', 'running, definition unchanged', false, false]]);
  });

  it('starts a stopped container whose definition is unchanged', () => {
    assert.deepEqual(summary([want('ntp', 'h1')], [has('ntp', 'h1', 'exited')]), [['ntp', 'start', 'exited, definition unchanged', true, false]]);
  });

  it('recreates when the definition or its image changed, running or not', () => {
    assert.deepEqual(summary([want('ntp', 'h2'), want('acpid', 'h3')], [has('ntp', 'h1'), has('acpid', 'h0', 'exited')]), [
      ['ntp', 'recreate', 'definition or image changed (h1 → h2)', true, false],
      ['acpid', 'recreate', 'definition or image changed (h0 → h3)', true, false],
    ]);
  });

  it('recreates a container of the same name that ros did not make', () => {
    assert.deepEqual(summary([want('ntp', 'h1')], [has('ntp', undefined)]), [['ntp', 'recreate', 'the container ntp was not made by ros from a definition', true, false]]);
  });

  it('fails a service whose image is missing, without touching its container', () => {
    assert.deepEqual(summary([want('web', null)], [has('web', 'h1')]), [['web', 'fail', 'image busybox is not on this daemon', false, false]]);
  });

  it('runs a finished one-shot again and waits for it', () => {
    const oneShot = { 'io.rancher.os.detach': 'false' };
    assert.deepEqual(summary([want('setup', 'h1', oneShot)], [has('setup', 'h1', 'exited')]), [['setup', 'start', 'one-shot, exited: runs again', true, true]]);
    assert.deepEqual(summary([want('setup', 'h1', oneShot)], []), [['setup', 'create', 'no container', true, true]]);
  });

  it('creates a create-only service without starting it, and leaves it once made', () => {
    const createOnly = { 'io.rancher.os.createonly': 'true' };
    assert.deepEqual(summary([want('data', 'h1', createOnly)], []), [['data', 'create', 'no container (create only)', false, false]]);
    assert.deepEqual(summary([want('data', 'h1', createOnly)], [has('data', 'h1', 'created')]), [['data', 'leave', 'created, definition unchanged (create only)', false, false]]);
  });

  it('with prune, stops and removes the containers ros made for services no longer wanted', () => {
    const observed = [has('ntp', 'h1'), has('old', 'h9', 'exited'), has('console', 'h5'), has('mine', undefined)];
    assert.deepEqual(summary([want('console', 'h5')], observed, true), [
      ['console', 'leave', 'running, definition unchanged', false, false],
      ['ntp', 'remove', 'not enabled any more, and running', false, false],
      ['old', 'remove', 'not enabled any more', false, false],
    ]);
  });

  it('without prune, leaves containers of other services alone', () => {
    assert.deepEqual(summary([want('console', 'h5')], [has('console', 'h5'), has('ntp', 'h1')]).map((a) => a[0]), ['console']);
  });

  it('keeps the order of the desired services, removals after', () => {
    assert.deepEqual(plan([want('b', 'x'), want('a', 'y')], [has('z', 'q')], { prune: true }).map((a) => a.name), ['b', 'a', 'z']);
  });
});
