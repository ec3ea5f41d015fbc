import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLayer } from '../../../src/config/layers';

const diagnostics = (text: string) => {
  const r = parseLayer(text, '/conf/x.yml');
  assert.equal(r.ok, false);
  return r.ok ? [] : r.diagnostics;
};

describe('parseLayer', () => {
  it('returns a valid map', () => {
    assert.deepEqual(parseLayer('hostname: box\nrancher:\n  modules: [veth]\n', 'x.yml'), {
      ok: true,
      value: { hostname: 'box', rancher: { modules: ['veth'] } },
    });
  });

  it('treats an empty file as an empty map', () => {
    assert.deepEqual(parseLayer('# nothing\n', 'x.yml'), { ok: true, value: {} });
  });

  it('reports bad YAML with file, line, column and a code', () => {
    const ds = diagnostics('rancher:\n  a: 1\n bad: [1, 2\n');
    assert.deepEqual(ds[0] && [ds[0].code, ds[0].file, ds[0].line, ds[0].column], ['yaml-bad_indent', '/conf/x.yml', 3, 1]);
    assert.ok(ds.every((d) => d.file === '/conf/x.yml' && /^yaml-[a-z_]+$/.test(d.code) && typeof d.line === 'number' && typeof d.column === 'number'));
  });

  it('points at the line of an unterminated flow list', () => {
    const [d] = diagnostics('hostname: box\nmodules: [1, 2\nother: c\n');
    assert.equal(d?.code, 'yaml-bad_indent');
    assert.equal(d?.line, 3);
    assert.equal(d?.column, 1);
  });

  it('rejects a tab as indentation', () => {
    const [d] = diagnostics('rancher:\n\tmodules: []\n');
    assert.equal(d?.code, 'yaml-tab_as_indent');
    assert.equal(d?.line, 2);
  });

  it('rejects duplicate keys at the second key', () => {
    const ds = diagnostics('hostname: a\nrancher: {}\nhostname: b\n');
    assert.deepEqual(ds.map((d) => [d.code, d.line, d.column]), [['yaml-duplicate_key', 3, 1]]);
  });

  it('rejects a top-level list or scalar with not-a-map', () => {
    assert.deepEqual(diagnostics('- a\n- b\n').map((d) => [d.code, d.file, d.line]), [['not-a-map', '/conf/x.yml', 1]]);
    assert.deepEqual(diagnostics('just text\n').map((d) => d.code), ['not-a-map']);
  });
});
