import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setShadowHash } from '../../../src/console/password';

const SHADOW = ['root:*:19000:0:99999:7:::', 'rancher:!:19000:0:99999:7:::', 'docker:!:19000::::::', ''].join('\n');
const HASH = '$6$salt$abcdefghijklmnop';

describe('setShadowHash', () => {
  it("replaces only the named user's password field", () => {
    assert.equal(
      setShadowHash(SHADOW, 'rancher', HASH),
      ['root:*:19000:0:99999:7:::', `rancher:${HASH}:19000:0:99999:7:::`, 'docker:!:19000::::::', ''].join('\n'),
    );
  });

  it('keeps the trailing newline', () => {
    assert.ok(setShadowHash(SHADOW, 'rancher', HASH).endsWith(':::\ndocker:!:19000::::::\n'));
  });

  it('does not touch a user whose name only starts with the same letters', () => {
    const shadow = 'ranch:!:1::::::\nrancher2:!:1::::::\n';
    assert.equal(setShadowHash(shadow, 'rancher', HASH), shadow);
  });

  it('gives the text unchanged when the user is missing', () => {
    assert.equal(setShadowHash(SHADOW, 'nobody', HASH), SHADOW);
  });
});
