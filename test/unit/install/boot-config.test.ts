import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extlinuxConf, installCmdline } from '../../../src/install/boot-config';

describe('install: boot config', () => {
  it('requires the state disk and puts the serial console last, then the user words', () => {
    const words = installCmdline('  rancher.autologin=ttyS0 ').split(' ');
    assert.ok(words.includes('rancher.state.required=true'));
    assert.ok(words.indexOf('console=ttyS0,115200n8') > words.indexOf('console=tty1'));
    assert.equal(words.at(-1), 'rancher.autologin=ttyS0');
  });

  it('writes one entry that boots without a prompt', () => {
    const conf = extlinuxConf('console=ttyS0 a=b');
    assert.match(conf, /^DEFAULT ros$/m);
    assert.match(conf, /^TIMEOUT 0$/m);
    assert.match(conf, /^ {2}KERNEL \/boot\/vmlinuz$/m);
    assert.match(conf, /^ {2}INITRD \/boot\/initrd\.img$/m);
    assert.match(conf, /^ {2}APPEND console=ttyS0 a=b$/m);
  });

  it('refuses a command line that would break the config file', () => {
    assert.throws(() => extlinuxConf('a=b\nDEFAULT evil'), /one line/);
  });
});
