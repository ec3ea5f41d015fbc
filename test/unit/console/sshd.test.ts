import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SSH_PORT, configuredKeys, dropbearArgs, hostKeyPath, sshPort } from '../../../src/console/sshd';

describe('console sshd', () => {
  it('runs in the foreground, logs to stderr and never lets root in', () => {
    const args = dropbearArgs({ port: 22, passwords: true, keys: ['/k1', '/k2'] });
    assert.deepEqual(args, ['-F', '-E', '-w', '-p', '22', '-r', '/k1', '-r', '/k2']);
  });

  it('listens on rancher.ssh.listen_address only, an IPv6 one in brackets', () => {
    assert.deepEqual(dropbearArgs({ port: 2222, address: '10.0.0.5', passwords: true, keys: [] }).slice(3, 5), ['-p', '10.0.0.5:2222']);
    assert.deepEqual(dropbearArgs({ port: 22, address: 'fd00::5', passwords: true, keys: [] }).slice(3, 5), ['-p', '[fd00::5]:22']);
  });

  it('turns password logins off when rancher.password is not set', () => {
    assert.ok(dropbearArgs({ port: 2222, passwords: false, keys: [] }).includes('-s'));
  });

  it('takes rancher.ssh.port when it is a port, else 22', () => {
    assert.equal(sshPort(2222), 2222);
    for (const bad of [undefined, 0, 70000, 22.5, '2222']) assert.equal(sshPort(bad), DEFAULT_SSH_PORT);
  });

  it('keeps host keys under /var/lib/rancher/ssh, on the state disk', () => {
    assert.equal(hostKeyPath('ed25519'), '/var/lib/rancher/ssh/dropbear_ed25519_host_key');
  });
});

describe('rancher.ssh.keys', () => {
  it('takes the private keys by type, skips the -pub entries and reports unknown types', () => {
    const r = configuredKeys({ rsa: 'R', 'rsa-pub': 'ssh-rsa AAA', ed25519: 'E', dsa: 'D' });
    assert.deepEqual(r.keys, [['rsa', 'R'], ['ed25519', 'E']]);
    assert.deepEqual(r.problems, ['rancher.ssh.keys.dsa: not a host key type (rsa, ecdsa, ed25519)']);
  });

  it('has nothing to do without keys', () => {
    assert.deepEqual(configuredKeys(undefined), { keys: [], problems: [] });
  });
});
