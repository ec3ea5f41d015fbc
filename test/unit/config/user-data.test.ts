import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import {
  classifyUserData,
  configDriveInstanceId,
  contentInstanceId,
  noCloudInstanceId,
} from '../../../src/config/user-data';

describe('classifyUserData', () => {
  const cc = '#cloud-config\nhostname: box\n';

  it('recognises plain #cloud-config and keeps the whole text', () => {
    assert.deepEqual(classifyUserData(Buffer.from(cc)), { kind: 'cloud-config', text: cc });
  });

  it('gunzips gzipped #cloud-config first', () => {
    assert.deepEqual(classifyUserData(gzipSync(Buffer.from(cc))), { kind: 'cloud-config', text: cc });
  });

  it('accepts CRLF line ends after the header', () => {
    const text = '#cloud-config\r\nhostname: box\r\n';
    assert.equal(classifyUserData(Buffer.from(text)).kind, 'cloud-config');
  });

  it('gives a #! script with its bytes', () => {
    const body = Buffer.from('#!/bin/sh\necho hi\n');
    const p = classifyUserData(body);
    assert.equal(p.kind, 'script');
    assert.ok(p.kind === 'script' && p.body.equals(body));
  });

  it('gives a gzipped script with the gunzipped bytes', () => {
    const body = Buffer.from('#!/bin/sh\necho hi\n');
    const p = classifyUserData(gzipSync(body));
    assert.ok(p.kind === 'script' && p.body.equals(body));
  });

  it('calls empty and whitespace-only input empty', () => {
    assert.deepEqual(classifyUserData(Buffer.alloc(0)), { kind: 'empty' });
    assert.deepEqual(classifyUserData(Buffer.from(' \n\t\n')), { kind: 'empty' });
  });

  it('gives the first line of anything else', () => {
    assert.deepEqual(classifyUserData(Buffer.from('hostname: box\n#cloud-config\n')), { kind: 'unknown', firstLine: 'hostname: box' });
    assert.deepEqual(classifyUserData(Buffer.from('# cloud-config\nhostname: box\n')), { kind: 'unknown', firstLine: '# cloud-config' });
  });

  it('cuts a long first line to 60 characters', () => {
    const p = classifyUserData(Buffer.from(`${'x'.repeat(200)}\n`));
    assert.ok(p.kind === 'unknown');
    assert.equal(p.firstLine.length, 60);
  });
});

describe('configDriveInstanceId', () => {
  it('prefers uuid', () => {
    assert.equal(configDriveInstanceId(JSON.stringify({ uuid: 'a1b2', 'instance-id': 'i-9' })), 'a1b2');
  });

  it('falls back to instance-id', () => {
    assert.equal(configDriveInstanceId(JSON.stringify({ 'instance-id': 'i-9', name: 'box' })), 'i-9');
  });

  it('gives null for no text, bad JSON, a missing id or a non-string id', () => {
    assert.equal(configDriveInstanceId(null), null);
    assert.equal(configDriveInstanceId(''), null);
    assert.equal(configDriveInstanceId('{"uuid": '), null);
    assert.equal(configDriveInstanceId('{"name": "box"}'), null);
    assert.equal(configDriveInstanceId('{"uuid": ""}'), null);
    assert.equal(configDriveInstanceId('{"uuid": 42}'), null);
  });
});

describe('noCloudInstanceId', () => {
  it('reads instance-id from YAML meta-data', () => {
    assert.equal(noCloudInstanceId('instance-id: iid-local01\nlocal-hostname: box\n'), 'iid-local01');
  });

  it('gives a numeric id as a string', () => {
    assert.equal(noCloudInstanceId('instance-id: 1234\n'), '1234');
  });

  it('gives null when there is no id or no meta-data', () => {
    assert.equal(noCloudInstanceId('local-hostname: box\n'), null);
    assert.equal(noCloudInstanceId(''), null);
    assert.equal(noCloudInstanceId(null), null);
    assert.equal(noCloudInstanceId('instance-id:\n'), null);
  });

  it('gives null for meta-data that is not YAML', () => {
    assert.equal(noCloudInstanceId('instance-id: [unclosed\n'), null);
  });
});

describe('contentInstanceId', () => {
  it('is the same for the same source and bytes', () => {
    assert.equal(contentInstanceId('url', Buffer.from('#cloud-config\n')), contentInstanceId('url', Buffer.from('#cloud-config\n')));
  });

  it('differs for different bytes', () => {
    assert.notEqual(contentInstanceId('url', Buffer.from('#cloud-config\na: 1\n')), contentInstanceId('url', Buffer.from('#cloud-config\na: 2\n')));
  });

  it('differs for a different source and names the source', () => {
    const raw = Buffer.from('#cloud-config\n');
    assert.notEqual(contentInstanceId('url', raw), contentInstanceId('file', raw));
    assert.match(contentInstanceId('cmdline', raw), /^cmdline-[0-9a-f]{16}$/);
  });
});
