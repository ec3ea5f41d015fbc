import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../../src/config/validate';

describe('RancherOS keys ros does not implement', () => {
  it('are dropped with a positioned ignored-key warning instead of failing the file', () => {
    const text = '#cloud-config\nhostname: box\nrancher:\n  console: debian\n  docker:\n    engine: docker-20.10\n    extra_args: [--debug]\n';
    const r = validateConfig(text, 'c.yml');
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.deepEqual(r.warnings.map((w) => [w.code, w.path, w.line, w.column]), [
      ['ignored-key', 'rancher.console', 4, 3],
      ['ignored-key', 'rancher.docker.engine', 6, 5],
    ]);
    assert.deepEqual(r.config.rancher?.docker, { extra_args: ['--debug'] });
    assert.equal('console' in (r.config.rancher ?? {}), false);
  });

  it('still reports a misspelt key as an error', () => {
    const r = validateConfig('rancher:\n  consol: debian\n', 'c.yml');
    assert.equal(r.ok, false);
  });
});
