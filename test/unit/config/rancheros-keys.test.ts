import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, RANCHEROS_KEYS, RANCHEROS_LABELS, type Schema } from '../../../scripts/rancheros-keys';
import { IGNORED_RANCHEROS_KEYS } from '../../../src/config/rancheros-compat';
import { LABEL } from '../../../src/config/service-types';
import schemaJson from '../../../src/config/schema.json';

const schema = schemaJson as unknown as Schema;

describe('RancherOS keys in ros (docs/rancheros-compat.md)', () => {
  it('implements or accepts with a warning every RancherOS key: none would fail a file', () => {
    const open = RANCHEROS_KEYS.filter((k) => classify(k, schema).kind === 'unclassified').map((k) => k.key);
    assert.deepEqual(open, []);
  });

  it('drops only keys RancherOS had: a key ros does not know otherwise still fails', () => {
    const known = RANCHEROS_KEYS.map((k) => k.key.split('.'));
    const strays = IGNORED_RANCHEROS_KEYS.map((r) => (typeof r === 'string' ? r : r.key)).filter(
      (key) => !known.some((k) => k.length >= key.split('.').length && key.split('.').every((p, i) => p === k[i])),
    );
    assert.deepEqual(strays, []);
  });

  it('says what happens to every label ros does not read', () => {
    const implemented = new Set<string>(Object.values(LABEL));
    assert.deepEqual(RANCHEROS_LABELS.filter((l) => !implemented.has(l.label) && !l.note).map((l) => l.label), []);
  });

  it('tells implemented from dropped', () => {
    assert.equal(classify({ key: 'rancher.ssh.port' }, schema).kind, 'implemented');
    assert.equal(classify({ key: 'rancher.state.boot_dev' }, schema).kind, 'warning');
    assert.equal(classify({ key: 'rancher.no_such_key' }, schema).kind, 'unclassified');
  });
});
