import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLOUD_NAMES, cmdlineUserDataUrl, expandDatasources, parseDatasource, type DatasourceSpec } from '../../../src/config/datasource-spec';

describe('parseDatasource', () => {
  it('reads the bare kinds', () => {
    assert.deepEqual(parseDatasource('configdrive'), { kind: 'configdrive' });
    assert.deepEqual(parseDatasource('nocloud'), { kind: 'nocloud' });
    assert.deepEqual(parseDatasource('cmdline'), { kind: 'cmdline' });
  });

  it('reads url: with an http or https URL', () => {
    assert.deepEqual(parseDatasource('url:http://10.0.0.1/user-data'), { kind: 'url', url: 'http://10.0.0.1/user-data' });
    assert.deepEqual(parseDatasource('url:https://example.com/cc.yml'), { kind: 'url', url: 'https://example.com/cc.yml' });
  });

  it('rejects url: without an http(s) scheme', () => {
    assert.equal(parseDatasource('url:ftp://example.com/cc.yml'), null);
    assert.equal(parseDatasource('url:example.com/cc.yml'), null);
    assert.equal(parseDatasource('url:'), null);
  });

  it('reads file: with an absolute path and rejects a relative one', () => {
    assert.deepEqual(parseDatasource('file:/var/lib/rancher/conf/user-data'), { kind: 'file', path: '/var/lib/rancher/conf/user-data' });
    assert.equal(parseDatasource('file:user-data'), null);
    assert.equal(parseDatasource('file:'), null);
  });

  it('reads auto and every cloud name', () => {
    assert.deepEqual(parseDatasource('auto'), { kind: 'auto' });
    for (const name of CLOUD_NAMES) assert.deepEqual(parseDatasource(name), { kind: 'cloud', name });
  });

  it('gives null for anything else', () => {
    assert.equal(parseDatasource(''), null);
    assert.equal(parseDatasource('EC2'), null);
    assert.equal(parseDatasource('aws'), null);
    assert.equal(parseDatasource('ConfigDrive'), null);
    assert.equal(parseDatasource(' nocloud'), null);
  });
});

describe('cmdlineUserDataUrl', () => {
  it('gives the value of cloud-config-url=', () => {
    assert.equal(cmdlineUserDataUrl(['console=ttyS0', 'cloud-config-url=http://10.0.2.2/cc.yml', 'quiet']), 'http://10.0.2.2/cc.yml');
  });

  it('gives null when the word is missing', () => {
    assert.equal(cmdlineUserDataUrl(['console=ttyS0', 'rancher.debug']), null);
    assert.equal(cmdlineUserDataUrl([]), null);
  });

  it('does not take a word that only contains the key', () => {
    assert.equal(cmdlineUserDataUrl(['x.cloud-config-url=http://a/b']), null);
  });
});

describe('expandDatasources', () => {
  const specs = (...names: string[]) => names.map((n) => parseDatasource(n)).filter((s): s is DatasourceSpec => s !== null);

  it('makes auto the local media, then the clouds DMI detected', () => {
    assert.deepEqual(expandDatasources(specs('auto'), ['gce']), [{ kind: 'configdrive' }, { kind: 'nocloud' }, { kind: 'cloud', name: 'gce', auto: true }]);
  });

  it('with nothing detected, auto is the local media alone', () => {
    assert.deepEqual(expandDatasources(specs('auto'), []), [{ kind: 'configdrive' }, { kind: 'nocloud' }]);
  });

  it('keeps an explicit list in its order and tries a repeat once', () => {
    assert.deepEqual(expandDatasources(specs('ec2', 'nocloud', 'auto', 'ec2'), ['ec2']), [
      { kind: 'cloud', name: 'ec2' }, { kind: 'nocloud' }, { kind: 'configdrive' },
    ]);
  });
});
