import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeContent, decodeWriteFile, lookupId } from '../../../src/config/write-files';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

function bytes(v: Buffer | string): Buffer {
  assert.ok(Buffer.isBuffer(v), `expected bytes, got error ${JSON.stringify(v)}`);
  return v;
}

describe('decodeContent', () => {
  it('takes text/plain (and no encoding) as is', () => {
    assert.equal(bytes(decodeContent('hello\n', 'text/plain')).toString(), 'hello\n');
    assert.equal(bytes(decodeContent('hello\n', undefined)).toString(), 'hello\n');
  });

  it('decodes b64 and base64', () => {
    assert.equal(bytes(decodeContent(b64('hello\n'), 'b64')).toString(), 'hello\n');
    assert.equal(bytes(decodeContent(b64('hello\n'), 'base64')).toString(), 'hello\n');
  });

  it('decodes base64 wrapped over several lines', () => {
    const text = 'a fairly long line of text that base64 wraps across lines\n'.repeat(3);
    const wrapped = b64(text).replace(/.{20}/g, '$&\n');
    assert.equal(bytes(decodeContent(wrapped, 'base64')).toString(), text);
  });

  it('decodes gzip+base64 and gz+b64', () => {
    const packed = b64(gzipSync('hello\n'));
    assert.equal(bytes(decodeContent(packed, 'gzip+base64')).toString(), 'hello\n');
    assert.equal(bytes(decodeContent(packed, 'gz+b64')).toString(), 'hello\n');
  });

  it('keeps binary bytes', () => {
    const raw = Buffer.from([0, 1, 2, 0xfe, 0xff]);
    assert.ok(bytes(decodeContent(b64(raw), 'b64')).equals(raw));
  });

  it('returns an error string for content that is not base64', () => {
    const out = decodeContent('this is not base64!', 'b64');
    assert.equal(typeof out, 'string');
    assert.match(out as string, /base64/);
  });

  it('returns an error string for gzip+base64 of bytes that are not gzip', () => {
    const out = decodeContent(b64('plain, not gzipped'), 'gzip+base64');
    assert.equal(typeof out, 'string');
    assert.match(out as string, /gunzip/);
  });
});

describe('decodeWriteFile', () => {
  it('defaults to mode 0644 and root:root', () => {
    const d = decodeWriteFile({ path: '/etc/motd', content: 'hi\n' });
    assert.ok(d.ok);
    assert.equal(d.mode, 0o644);
    assert.equal(d.owner, 'root');
    assert.equal(d.group, 'root');
    assert.equal(d.data.toString(), 'hi\n');
  });

  it('gives empty data for a file without content', () => {
    const d = decodeWriteFile({ path: '/etc/empty' });
    assert.ok(d.ok);
    assert.equal(d.data.length, 0);
  });

  it('reads octal permissions with and without the leading 0', () => {
    const a = decodeWriteFile({ path: '/x', permissions: '0750' });
    const b = decodeWriteFile({ path: '/x', permissions: '750' });
    assert.ok(a.ok && b.ok);
    assert.equal(a.mode, 0o750);
    assert.equal(b.mode, 0o750);
  });

  it('rejects permissions that are not octal', () => {
    for (const permissions of ['999', 'rw-r--r--', '', '0x1ff']) {
      const d = decodeWriteFile({ path: '/x', permissions });
      assert.equal(d.ok, false, `permissions ${JSON.stringify(permissions)}`);
      assert.ok(!d.ok && d.error.includes('permissions'));
    }
  });

  it('splits owner user:group', () => {
    const d = decodeWriteFile({ path: '/x', owner: 'rancher:docker' });
    assert.ok(d.ok);
    assert.equal(d.owner, 'rancher');
    assert.equal(d.group, 'docker');
  });

  it('uses the user as group when owner has no group', () => {
    const d = decodeWriteFile({ path: '/x', owner: 'rancher' });
    assert.ok(d.ok);
    assert.equal(d.owner, 'rancher');
    assert.equal(d.group, 'rancher');
  });

  it('passes a content error through as ok: false', () => {
    const d = decodeWriteFile({ path: '/x', content: '%%%', encoding: 'b64' });
    assert.equal(d.ok, false);
  });
});

describe('lookupId', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/sh',
    'docker:x:233:233::/nonexistent:/bin/false',
    'rancher:x:1100:1100::/home/rancher:/bin/bash',
    '',
  ].join('\n');

  it('finds a name', () => {
    assert.equal(lookupId('rancher', passwd), 1100);
    assert.equal(lookupId('root', passwd), 0);
  });

  it('passes a number through', () => {
    assert.equal(lookupId('1234', passwd), 1234);
    assert.equal(lookupId('0', ''), 0);
  });

  it('gives null for an unknown name', () => {
    assert.equal(lookupId('nobody', passwd), null);
    assert.equal(lookupId('ranch', passwd), null);
  });
});
