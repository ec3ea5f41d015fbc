import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCmdline } from '../../../src/config/cmdline';
import { layerFiles, loadConfig } from '../../../src/config/load';

describe('loadConfig', () => {
  let dir = '';
  let opts: { osConfig: string; cloudConfigDir: string; cloudConfig: string };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ros-load-'));
    opts = { osConfig: join(dir, 'os-config.yml'), cloudConfigDir: join(dir, 'cloud-config.d'), cloudConfig: join(dir, 'cloud-config.yml') };
    mkdirSync(opts.cloudConfigDir);
    writeFileSync(opts.osConfig, 'hostname: rancher\nrancher:\n  modules: [veth]\n  shutdown_timeout: 30\n  docker:\n    extra_args: [--a]\n');
    writeFileSync(join(opts.cloudConfigDir, '20-b.yml'), 'rancher:\n  shutdown_timeout: 20\n  docker:\n    environment: [B=1]\n');
    writeFileSync(join(opts.cloudConfigDir, '10-a.yml'), 'rancher:\n  shutdown_timeout: 10\n  modules: [bridge, br_netfilter]\n');
    writeFileSync(join(opts.cloudConfigDir, '15-broken.yml'), 'rancher:\n  recovery: true\nrancher: {}\n');
    writeFileSync(join(opts.cloudConfigDir, 'notes.txt'), 'hostname: ignored\n');
    writeFileSync(opts.cloudConfig, 'hostname: box\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lists layers: os config, drop-ins in name order, then cloud-config.yml', () => {
    assert.deepEqual(layerFiles(opts), [
      opts.osConfig,
      join(opts.cloudConfigDir, '10-a.yml'),
      join(opts.cloudConfigDir, '15-broken.yml'),
      join(opts.cloudConfigDir, '20-b.yml'),
      opts.cloudConfig,
    ]);
  });

  it('merges the layers in order, skipping and reporting a broken drop-in', () => {
    const { config, diagnostics, sources } = loadConfig(opts);
    assert.deepEqual(sources, [opts.osConfig, join(opts.cloudConfigDir, '10-a.yml'), join(opts.cloudConfigDir, '20-b.yml'), opts.cloudConfig]);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.file, d.line]), [['yaml-duplicate_key', join(opts.cloudConfigDir, '15-broken.yml'), 3]]);
    assert.deepEqual(config, {
      hostname: 'box',
      rancher: {
        modules: ['bridge', 'br_netfilter'],
        shutdown_timeout: 20,
        docker: { extra_args: ['--a'], environment: ['B=1'] },
      },
    });
  });

  it('lets cmdline layers win, the later one last', () => {
    const { config } = loadConfig({ ...opts, cmdline: parseCmdline('cc.hostname=k1 rancher.recovery=true cc.hostname=k2') });
    assert.equal(config.hostname, 'k2');
    assert.equal(config.rancher?.recovery, true);
    assert.equal(config.rancher?.shutdown_timeout, 20);
  });

  it('gives the cmdline layers alone when no file exists', () => {
    const none = join(dir, 'missing');
    const r = loadConfig({ osConfig: none, cloudConfigDir: none, cloudConfig: none, cmdline: parseCmdline('quiet cc.hostname=k') });
    assert.deepEqual(r, { config: { hostname: 'k' }, diagnostics: [], warnings: [], sources: [] });
  });

  it('reports the cmdline words that were dropped, and applies the rest', () => {
    const none = join(dir, 'missing');
    const r = loadConfig({ osConfig: none, cloudConfigDir: none, cloudConfig: none, cmdline: parseCmdline('rancher.ssh.port=none cc.hostname=k') });
    assert.deepEqual(r.config, { hostname: 'k' });
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.path, d.file]), [['type', 'rancher.ssh.port', 'kernel cmdline']]);
  });

  it('refuses a file over the size limit by its size, and names a file that is not UTF-8', () => {
    const sub = join(dir, 'limits');
    mkdirSync(sub);
    const big = join(sub, 'big.yml');
    writeFileSync(big, `# ${'x'.repeat(1 << 20)}\n`);
    const latin1 = join(sub, 'latin1.yml');
    writeFileSync(latin1, Buffer.concat([Buffer.from('hostname: box\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = loadConfig({ osConfig: big, cloudConfigDir: join(dir, 'missing'), cloudConfig: latin1 });
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column]), [['too-large', big, undefined, undefined], ['not-utf8', latin1, 2, 6]]);
    assert.match(r.diagnostics[0]?.message ?? '', /1\.0 MiB; a cloud-config may be at most 1\.0 MiB/);
    assert.match(r.diagnostics[1]?.message ?? '', /byte 0xe9/);
  });
});
