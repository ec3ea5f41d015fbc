import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../../src/config/validate';

describe('RancherOS keys ros does not implement', () => {
  it('are dropped with a positioned ignored-key warning instead of failing the file', () => {
    const text = '#cloud-config\nhostname: box\nrancher:\n  console: debian\n  docker:\n    engine: docker-20.10\n    extra_args: [--debug]\n';
    const r = validateConfig(text, 'c.yml');
    assert.equal(r.ok, true);
    if (!r.ok) return;
    assert.deepEqual(r.warnings.map((w) => [w.code, w.path, w.line, w.column]), [
      ['ignored-key', 'rancher.console', 4, 3],
      ['ignored-key', 'rancher.docker.engine', 6, 5],
    ]);
    assert.deepEqual(r.config.rancher?.docker, { extra_args: ['--debug'] });
    assert.equal('console' in (r.config.rancher ?? {}), false);
  });

  it('never cost a file its ssh keys: network, docker and boot keys of RancherOS are warnings, one each, with their line', () => {
    const text = [
      '#cloud-config', // 1
      'hostname: old-ros', // 2
      'ssh_authorized_keys: [ssh-ed25519 AAAA a@b]', // 3
      'rancher:', // 4
      '  log: true', // 5
      '  restart_services: [syslog]', // 6
      '  http_load_retries: 6', // 7
      '  docker: {args: [daemon], engine: docker-20.10}', // 8
      '  system_docker: {exec: true}', // 9
      '  network:', // 10
      '    dns: {override: true, nameservers: [1.1.1.1]}', // 11
      '    interfaces:', // 12
      '      eth0: {dhcp: true, gateway_ipv6: "fe80::1", pre_up: [x], post_up: [y]}', // 13
      '      bond0: {addresses: [10.0.0.5/24], bond_opts: {mode: active-backup}}', // 14 (addresses: ros' own)
      '      eth1: {bond: bond0, vlans: "100:v100", bridge: br0}', // 15
      '',
    ].join('\n');
    const r = validateConfig(text, 'c.yml');
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
    assert.deepEqual(r.warnings.map((w) => [w.path, w.line]), [
      ['rancher.log', 5], ['rancher.http_load_retries', 7],
      ['rancher.docker.args', 8], ['rancher.docker.engine', 8], ['rancher.system_docker.exec', 9],
      ['rancher.network.dns.override', 11],
      ['rancher.network.interfaces.eth0.pre_up', 13], ['rancher.network.interfaces.eth0.post_up', 13],
      ['rancher.network.interfaces.bond0.bond_opts', 14],
      ['rancher.network.interfaces.eth1.bond', 15], ['rancher.network.interfaces.eth1.vlans', 15], ['rancher.network.interfaces.eth1.bridge', 15],
    ]);
    assert.equal(r.config.hostname, 'old-ros');
    assert.deepEqual(r.config.rancher?.restart_services, ['syslog']);
    assert.deepEqual(r.config.ssh_authorized_keys, ['ssh-ed25519 AAAA a@b']);
    assert.deepEqual(r.config.rancher?.network?.dns, { nameservers: ['1.1.1.1'] });
    assert.deepEqual(r.config.rancher?.network?.interfaces?.eth0, { dhcp: true, gateway_ipv6: 'fe80::1' });
  });

  it('drops rancher.log only in RancherOS\' boolean form; ros\' map is kept', () => {
    const r = validateConfig('rancher:\n  log: {level: info}\n', 'c.yml');
    assert.ok(r.ok && r.warnings.length === 0 && r.config.rancher?.log?.level === 'info');
  });

  it('still reports a misspelt key inside an interface as an error', () => {
    assert.equal(validateConfig('rancher:\n  network:\n    interfaces:\n      eth0: {gatway_ipv6: x}\n', 'c.yml').ok, false);
  });

  it('still reports a misspelt key as an error', () => {
    const r = validateConfig('rancher:\n  consol: debian\n', 'c.yml');
    assert.equal(r.ok, false);
  });
});
