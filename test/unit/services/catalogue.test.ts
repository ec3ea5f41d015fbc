import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { enabledServices, loadServiceRef, parseServiceFile, urlCacheFile } from '../../../src/services/catalogue';
import { fetchUrl } from '../../../src/sys/fetch-url';

const dir = mkdtempSync(join(tmpdir(), 'ros-catalogue-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const catalogue = join(dir, 'catalogue');
const cache = join(dir, 'cache');
mkdirSync(catalogue);
mkdirSync(cache);
writeFileSync(join(catalogue, 'ntp.yml'), 'ntp:\n  image: ros/os-base:1\n  command: ntpd -d\n');
writeFileSync(join(catalogue, 'index.json'), JSON.stringify({ services: [{ name: 'ntp', file: 'ntp.yml', description: 'time', scope: 'system' }] }));

describe('service definitions', () => {
  it('parses a service file and reports errors at the file\'s own line and column', () => {
    assert.deepEqual(parseServiceFile('test:\n  image: x\n  entrypoint: ls\n', 't.yml'), { ok: true, services: { test: { image: 'x', entrypoint: 'ls' } } });
    const bad = parseServiceFile('test:\n  image: x\n  imag: y\n', 't.yml');
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.deepEqual(bad.diagnostics.map((d) => [d.code, d.path, d.line, d.column]), [['unknown-key', 'test.imag', 3, 3]]);
  });

  it('resolves catalogue names, suggests the closest for a typo, and reads URLs only from the cache', () => {
    assert.equal(loadServiceRef('ntp', catalogue, cache).ok, true);
    const typo = loadServiceRef('ntpp', catalogue, cache);
    assert.ok(!typo.ok && /did you mean ntp\?/.test(typo.diagnostics[0]?.message ?? ''));
    const url = 'https://example.invalid/svc.yml';
    assert.equal(loadServiceRef(url, catalogue, cache).ok, false);
    writeFileSync(urlCacheFile(url, cache), 'remote:\n  image: busybox\n');
    assert.deepEqual(loadServiceRef(url, catalogue, cache), { ok: true, services: { remote: { image: 'busybox' } } });
  });

  it('enables rancher.services plus services_include entries set to true', () => {
    const r = enabledServices({ rancher: { services: { own: { image: 'a' } }, services_include: { ntp: true, missing: true } } }, catalogue);
    assert.deepEqual(Object.keys(r.services).sort(), ['ntp', 'own']);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0] ?? '', /missing/);
  });
});

describe('fetchUrl', () => {
  it('retries until the server answers, and gives up on a 404 at once', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      if (req.url === '/flaky' && hits < 2) res.writeHead(503).end();
      else if (req.url === '/flaky') res.end('ok');
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal((await fetchUrl(`${base}/flaky`, 3, 2000)).toString(), 'ok');
      const before = hits;
      await assert.rejects(fetchUrl(`${base}/nothing`, 3, 2000), /HTTP 404/);
      assert.equal(hits - before, 1, 'a 404 was retried');
    } finally {
      server.close();
    }
  });
});
