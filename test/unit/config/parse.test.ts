import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, invalidUtf8At, parseConfigText, quote } from '../../../src/config/parse';

const FILE = '/conf/x.yml';

const diagnostics = (text: string | Uint8Array) => {
  const r = parseConfigText(text, FILE);
  assert.equal(r.ok, false, 'expected diagnostics');
  return r.ok ? [] : r.diagnostics;
};
const summary = (text: string | Uint8Array) => diagnostics(text).map((d) => [d.code, d.path, d.line, d.column]);

/** The classic billion laughs: each level doubles (here ×9) the one before. */
function aliasBomb(levels: number): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('parseConfigText', () => {
  it('returns a valid map, and an empty file as an empty map', () => {
    const r = parseConfigText('hostname: box\nrancher:\n  modules: [veth]\n', FILE);
    assert.ok(r.ok);
    assert.deepEqual(r.value, { hostname: 'box', rancher: { modules: ['veth'] } });
    const empty = parseConfigText('# nothing\n', FILE);
    assert.ok(empty.ok);
    assert.deepEqual(empty.value, {});
  });

  it('reports bad YAML with file, line, column and a code', () => {
    const ds = diagnostics('rancher:\n  a: 1\n bad: [1, 2\n');
    assert.deepEqual(ds[0] && [ds[0].code, ds[0].file, ds[0].line, ds[0].column], ['yaml-bad_indent', FILE, 3, 1]);
    assert.ok(ds.every((d) => d.file === FILE && /^yaml-[a-z_]+$/.test(d.code) && typeof d.line === 'number' && typeof d.column === 'number'));
  });

  it('points at the line of an unterminated flow list, and of a tab used as indentation', () => {
    assert.deepEqual(summary('hostname: box\nmodules: [1, 2\nother: c\n')[0], ['yaml-bad_indent', '', 3, 1]);
    assert.deepEqual(summary('rancher:\n\tmodules: []\n')[0], ['yaml-tab_as_indent', '', 2, 1]);
  });

  it('names a duplicate key, at the second one, with the line of the first', () => {
    const ds = diagnostics('hostname: a\nrancher:\n  ssh: {}\n  ssh: {port: 1}\nhostname: b\n');
    assert.deepEqual(ds.map((d) => [d.code, d.path, d.line, d.column]), [['yaml-duplicate_key', 'rancher.ssh', 4, 3], ['yaml-duplicate_key', 'hostname', 5, 1]]);
    assert.match(ds[1]?.message ?? '', /duplicate key "hostname" \(first at line 1\)/);
  });

  it('says a second document is one too many, in its own words, at the line it starts', () => {
    const ds = diagnostics('hostname: a\n---\nhostname: b\n');
    assert.deepEqual(ds.map((d) => [d.code, d.line]), [['yaml-multiple_docs', 2]]);
    assert.match(ds[0]?.message ?? '', /a cloud-config is one document/);
    assert.doesNotMatch(ds[0]?.message ?? '', /parseAllDocuments/);
  });

  it('rejects a top-level list or scalar with not-a-map', () => {
    assert.deepEqual(diagnostics('- a\n- b\n').map((d) => [d.code, d.file, d.line]), [['not-a-map', FILE, 1]]);
    assert.deepEqual(diagnostics('just text\n').map((d) => d.code), ['not-a-map']);
  });

  it('says a file is not UTF-8, and where', () => {
    const latin1 = Buffer.concat([Buffer.from('#cloud-config\nhostname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const ds = diagnostics(latin1);
    assert.deepEqual(ds.map((d) => [d.code, d.line, d.column]), [['not-utf8', 2, 14]]);
    assert.match(ds[0]?.message ?? '', /not UTF-8 text: byte 0xe9/);
    assert.ok(parseConfigText(Buffer.from('hostname: "café ✓ 🚀"\n'), FILE).ok, 'valid UTF-8 of 2, 3 and 4 bytes passes');
  });

  it('finds the first byte that is not UTF-8', () => {
    assert.equal(invalidUtf8At(Buffer.from('plain ✓ 🚀')), -1);
    assert.equal(invalidUtf8At(Buffer.from([0x61, 0xc3])), 1); // cut short
    assert.equal(invalidUtf8At(Buffer.from([0xc0, 0x80])), 0); // overlong
    assert.equal(invalidUtf8At(Buffer.from([0xed, 0xa0, 0x80])), 0); // a UTF-16 surrogate
    assert.equal(invalidUtf8At(Buffer.from([0x61, 0x62, 0xff])), 2);
  });

  it('refuses a 3 MB, 200,000-key file by its size at once', () => {
    let text = '#cloud-config\nrancher:\n  environment:\n';
    for (let i = 0; text.length < 3_000_000; i++) text += `    key_${i}: value_${i}\n`;
    const ds = diagnostics(text);
    assert.deepEqual(ds.map((d) => d.code), ['too-large']);
    assert.match(ds[0]?.message ?? '', /the file is 2\.9 MiB; a cloud-config may be at most 1\.0 MiB/);
  });

  it('stops at the key past the key limit, under the size limit', () => {
    const lines = ['rancher:', '  environment:'];
    for (let i = 0; i < LIMITS.nodes + 100; i++) lines.push(`    k${i}: v`);
    const ds = diagnostics(`${lines.join('\n')}\n`);
    // rancher and environment count too: key number LIMITS.nodes - 1 of the map is one too many.
    assert.deepEqual(ds.map((d) => [d.code, d.line]), [['too-many-keys', LIMITS.nodes + 1]]);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `a: ${'['.repeat(LIMITS.depth + 5)}${']'.repeat(LIMITS.depth + 5)}\n`;
    assert.deepEqual(diagnostics(deep).map((d) => [d.code, d.line]), [['too-deep', 1]]);
  });

  it('stops an alias bomb at the alias whose expansion crosses the limit, with its line', () => {
    const ds = diagnostics(aliasBomb(9));
    assert.equal(ds.length, 1);
    assert.equal(ds[0]?.code, 'alias-bomb');
    assert.equal(ds[0]?.file, FILE);
    assert.equal(ds[0]?.line, 5); // 9 + 81 + 729 + 6561 keys and items so far; line 5's aliases expand to 6561 each
    assert.match(ds[0]?.message ?? '', /aliases expand the document past 10000 keys and list items/);
  });

  it('accepts aliases that stay within the limit', () => {
    const r = parseConfigText('base: &b {image: busybox}\nrancher:\n  services:\n    a: *b\n    c: *b\n', FILE);
    assert.ok(r.ok);
    assert.deepEqual((r.value.rancher as { services: object }).services, { a: { image: 'busybox' }, c: { image: 'busybox' } });
  });

  it('rejects an alias with no anchor, an alias inside its own anchor, and a collection used as a key', () => {
    assert.deepEqual(summary('a: *nope\n'), [['yaml-bad_alias', 'a', 1, 4]]);
    assert.deepEqual(summary('a: &x [1, *x]\n').map((d) => d[0]), ['yaml-bad_alias']);
    assert.deepEqual(summary('? [a]\n: 1\n').map((d) => d[0]), ['bad-key']);
  });

  it('locates keys and values, and falls back to the closest node in the text', () => {
    const r = parseConfigText('rancher:\n  ssh:\n    port: 22\n  x: *y\n', FILE);
    assert.equal(r.ok, false, 'an unknown anchor');
    const ok = parseConfigText('base: &b {port: 22}\nrancher:\n  ssh:\n    port: 22\n  other: *b\nlist:\n  - a\n', FILE);
    assert.ok(ok.ok);
    assert.deepEqual(ok.locate(['rancher', 'ssh', 'port'], 'key'), { line: 4, column: 5 });
    assert.deepEqual(ok.locate(['rancher', 'ssh', 'port'], 'value'), { line: 4, column: 11 });
    assert.deepEqual(ok.locate(['list', '0'], 'value'), { line: 7, column: 5 });
    assert.deepEqual(ok.locate(['rancher', 'other', 'port'], 'value'), { line: 5, column: 10 }, 'through an alias: the alias');
    assert.deepEqual(ok.locate(['nowhere'], 'key'), { line: 1, column: 1 });
  });

  it('quotes a short text whole and a long one by its start and length', () => {
    assert.equal(quote('box'), '"box"');
    const long = quote('x'.repeat(1 << 20));
    assert.ok(long.length < 100, long);
    assert.match(long, /… \(1048576 characters\)$/);
  });
});
