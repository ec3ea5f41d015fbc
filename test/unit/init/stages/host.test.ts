import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseHostname, DEFAULT_HOSTNAME } from '../../../../src/init/stages/host';

describe('chooseHostname', () => {
  it('takes the configured name first, then the DHCP server\'s, then the default', () => {
    assert.equal(chooseHostname('mine', 'dhcp-name\n'), 'mine');
    assert.equal(chooseHostname(undefined, 'dhcp-name\n'), 'dhcp-name');
    assert.equal(chooseHostname(undefined, null), DEFAULT_HOSTNAME);
  });

  it('takes the first label of a DHCP FQDN, and ignores a name that is not one', () => {
    assert.equal(chooseHostname(undefined, 'node-7.example.com'), 'node-7');
    assert.equal(chooseHostname(undefined, 'bad name; rm -rf /'), DEFAULT_HOSTNAME);
    assert.equal(chooseHostname(undefined, ''), DEFAULT_HOSTNAME);
  });
});
