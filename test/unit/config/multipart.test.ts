import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { isMultipart, parseMultipart } from '../../../src/config/multipart';
import { classifyUserData } from '../../../src/config/user-data';

// As cloud-init's make-mime writes it: headers, a boundary, typed parts.
const ARCHIVE = [
  'Content-Type: multipart/mixed; boundary="===============4242=="',
  'MIME-Version: 1.0',
  '',
  'This is a multi-part message in MIME format.',
  '--===============4242==',
  'Content-Type: text/cloud-config; charset="us-ascii"',
  'MIME-Version: 1.0',
  'Content-Transfer-Encoding: 7bit',
  'Content-Disposition: attachment; filename="config.yml"',
  '',
  '#cloud-config',
  'hostname: from-mime',
  'runcmd: [echo one]',
  '',
  '--===============4242==',
  'Content-Type: text/x-shellscript; charset="us-ascii"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="setup.sh"',
  '',
  Buffer.from('#!/bin/sh\necho from-script\n').toString('base64'),
  '--===============4242==',
  'Content-Type: text/plain',
  '',
  '#cloud-config',
  'write_files: [{path: /tmp/a, content: a}]',
  '--===============4242==',
  'Content-Type: text/cloud-boothook',
  'Content-Disposition: attachment; filename="early.sh"',
  '',
  '#cloud-boothook',
  'echo too early',
  '--===============4242==--',
  '',
].join('\r\n');

describe('parseMultipart', () => {
  it('reads each part with its type, file name and decoded body', () => {
    const parts = parseMultipart(ARCHIVE);
    assert.deepEqual(parts.map((p) => [p.type, p.filename]), [
      ['text/cloud-config', 'config.yml'],
      ['text/x-shellscript', 'setup.sh'],
      ['text/cloud-config', undefined],
      ['text/cloud-boothook', 'early.sh'],
    ]);
    assert.equal(parts[0]?.body.toString(), '#cloud-config\r\nhostname: from-mime\r\nruncmd: [echo one]\r\n');
    assert.equal(parts[1]?.body.toString(), '#!/bin/sh\necho from-script\n');
  });

  it('knows a multipart message by its Content-Type header alone', () => {
    assert.equal(isMultipart(ARCHIVE), true);
    assert.equal(isMultipart('#cloud-config\nhostname: x\n'), false);
  });

  it('refuses a multipart without a boundary', () => {
    assert.throws(() => parseMultipart('Content-Type: multipart/mixed\n\nbody'), /boundary/);
  });
});

describe('classifyUserData with MIME multipart', () => {
  it('splits the parts into cloud-configs, scripts and the ignored rest', () => {
    for (const raw of [Buffer.from(ARCHIVE), gzipSync(ARCHIVE)]) {
      const p = classifyUserData(raw);
      assert.equal(p.kind, 'multipart');
      if (p.kind !== 'multipart') return;
      assert.deepEqual(p.cloudConfigs.map((c) => c.name), ['config.yml', 'part-3']);
      assert.deepEqual(p.scripts.map((s) => s.name), ['setup.sh']);
      assert.deepEqual(p.ignored, ['early.sh (text/cloud-boothook)']);
    }
  });
});
