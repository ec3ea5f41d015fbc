import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stopGroups } from '../../../src/services/stop';

const c = (name: string, labels: Record<string, string> = {}) => ({ name, labels });

describe('stopGroups', () => {
  it('stops dependents before what they depend on, from the labels of the running containers', () => {
    assert.deepEqual(stopGroups([c('network'), c('docker', { 'io.rancher.os.after': 'network' }), c('app', { 'io.rancher.os.after': 'docker' }), c('ntp')]), [['app'], ['docker'], ['network', 'ntp']]);
  });

  it('follows io.rancher.os.before too, and ignores dependencies that are not running', () => {
    assert.deepEqual(stopGroups([c('early', { 'io.rancher.os.before': 'late' }), c('late', { 'io.rancher.os.after': 'gone' })]), [['late'], ['early']]);
  });

  it('stops containers caught in a dependency cycle first, together', () => {
    assert.deepEqual(stopGroups([c('a', { 'io.rancher.os.after': 'b' }), c('b', { 'io.rancher.os.after': 'a' }), c('free')]), [['a', 'b'], ['free']]);
  });

  it('stops nothing when nothing runs', () => {
    assert.deepEqual(stopGroups([]), []);
  });
});
