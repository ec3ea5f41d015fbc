// What ends up on disk for each user-data format, and the metadata layer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { saveMetaConfig, saveUserData, userScripts, type SavePaths } from '../../../../src/init/cloud-init/save-user-data';

function setup(): { p: SavePaths; log: pino.Logger; messages: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'ros-ud-'));
  const messages: string[] = [];
  const log = pino({ level: 'debug' }, { write: (l: string) => messages.push((JSON.parse(l) as { msg: string }).msg) });
  return { p: { confDir: dir, cloudConfigD: join(dir, 'cloud-config.d') }, log, messages };
}

const mime = (parts: [string, string][]) =>
  ['Content-Type: multipart/mixed; boundary="XX"', 'MIME-Version: 1.0', '', ...parts.flatMap(([type, body]) => ['--XX', `Content-Type: ${type}`, '', body]), '--XX--', ''].join('\n');

describe('saveUserData', () => {
  it('saves a gzipped #cloud-config as user_config.yml, 0600', () => {
    const { p, log } = setup();
    assert.equal(saveUserData(log, 'ec2', gzipSync('#cloud-config\nhostname: gz\n'), p), true);
    const file = join(p.cloudConfigD, 'user_config.yml');
    assert.equal(readFileSync(file, 'utf8'), '#cloud-config\nhostname: gz\n');
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it('keeps the config in force when the cloud-config is invalid, and says why', () => {
    const { p, log, messages } = setup();
    assert.equal(saveUserData(log, 'ec2', Buffer.from('#cloud-config\nhostnme: x\n'), p), false);
    assert.equal(existsSync(join(p.cloudConfigD, 'user_config.yml')), false);
    assert.match(messages.join('\n'), /did you mean hostname/);
  });

  it('applies a multipart: cloud-config parts merged, scripts in order, the rest reported', () => {
    const { p, log, messages } = setup();
    const raw = mime([
      ['text/cloud-config', '#cloud-config\nhostname: a\nrancher:\n  modules: [veth]\n'],
      ['text/x-shellscript', '#!/bin/sh\necho one'],
      ['text/cloud-config', '#cloud-config\nrancher:\n  sysctl:\n    vm.swappiness: 1\n'],
      ['text/x-shellscript', '#!/bin/sh\necho two'],
      ['text/x-include-url', 'http://example.invalid/more'],
    ]);
    assert.equal(saveUserData(log, 'gce', Buffer.from(raw), p), true);
    const saved = readFileSync(join(p.cloudConfigD, 'user_config.yml'), 'utf8');
    assert.match(saved, /^#cloud-config\n/);
    assert.match(saved, /hostname: a/);
    assert.match(saved, /modules:\s*\n\s*- veth/);
    assert.match(saved, /vm.swappiness: 1/);
    assert.deepEqual(userScripts(p).map((f) => readFileSync(f, 'utf8')), ['#!/bin/sh\necho one', '#!/bin/sh\necho two']);
    assert.match(messages.join('\n'), /part-5 \(text\/x-include-url\).*ignored/);
  });

  it('a new single script replaces the scripts of an earlier multipart', () => {
    const { p, log } = setup();
    saveUserData(log, 'x', Buffer.from(mime([['text/x-shellscript', '#!/bin/sh\n1'], ['text/x-shellscript', '#!/bin/sh\n2']])), p);
    saveUserData(log, 'x', Buffer.from('#!/bin/sh\nonly\n'), p);
    assert.deepEqual(userScripts(p).map((f) => readFileSync(f, 'utf8')), ['#!/bin/sh\nonly\n']);
  });
});

describe('saveMetaConfig', () => {
  it('writes the cloud\'s hostname, keys and network as a layer that sorts before user_config.yml', () => {
    const { p, log } = setup();
    const meta = { instanceId: 'i-1', hostname: 'node-1', sshKeys: ['ssh-ed25519 AAAA k'], userData: null, vendorData: Buffer.from('vendor'), network: { dns: { nameservers: ['1.1.1.1'] } } };
    assert.equal(saveMetaConfig(log, 'ec2', meta, p), true);
    const text = readFileSync(join(p.cloudConfigD, 'meta_data.yml'), 'utf8');
    assert.match(text, /^#cloud-config\n# from ec2, instance i-1\nhostname: node-1\n/);
    assert.ok('meta_data.yml' < 'user_config.yml');
    assert.equal(readFileSync(join(p.confDir, 'vendor-data'), 'utf8'), 'vendor');
  });

  it('removes the layer when the datasource that answered has no metadata', () => {
    const { p, log } = setup();
    saveMetaConfig(log, 'ec2', { instanceId: 'i-1', hostname: 'node-1', sshKeys: [], userData: null, vendorData: null }, p);
    saveMetaConfig(log, 'nocloud', undefined, p);
    assert.equal(existsSync(join(p.cloudConfigD, 'meta_data.yml')), false);
  });
});
