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

  it('never cost a file its ssh keys: docker and boot keys of RancherOS are warnings, one each, with their line', () => {
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
      '    wifi_networks: {home: {ssid: x}}', // 11
      '    interfaces:', // 12
      '      wlan0: {wifi_network: home, dhcp: true}', // 13
      '',
    ].join('\n');
    const r = validateConfig(text, 'c.yml');
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
    assert.deepEqual(r.warnings.map((w) => [w.path, w.line]), [
      ['rancher.log', 5], ['rancher.http_load_retries', 7],
      ['rancher.docker.args', 8], ['rancher.docker.engine', 8], ['rancher.system_docker.exec', 9],
      ['rancher.network.wifi_networks', 11], ['rancher.network.interfaces.wlan0.wifi_network', 13],
    ]);
    assert.equal(r.config.hostname, 'old-ros');
    assert.deepEqual(r.config.rancher?.restart_services, ['syslog']);
    assert.deepEqual(r.config.ssh_authorized_keys, ['ssh-ed25519 AAAA a@b']);
    assert.deepEqual(r.config.rancher?.network?.interfaces?.wlan0, { dhcp: true });
  });

  it('takes RancherOS\' whole network model as it is written: bonds, VLANs, bridges, hooks, dns.override', () => {
    const text = [
      'rancher:',
      '  network:',
      '    dhcp_timeout: 20',
      '    pre_cmds: [echo a]',
      '    dns: {override: true, nameservers: [1.1.1.1], search: [example.com]}',
      '    interfaces:',
      '      eth0: {dhcp: true, gateway_ipv6: "fe80::1", pre_up: [x], post_up: y, dhcp_args: "-x hostname:a", ipv4ll: false}',
      '      bond0: {addresses: [10.0.0.5/24], bond_opts: {mode: active-backup, miimon: 100}}',
      '      eth1: {bond: bond0, vlans: "100:v100"}',
      '      eth2: {vlans: 200, bridge: br0}',
      '      br0: {bridge: true, match: br0}',
      '',
    ].join('\n');
    const r = validateConfig(text, 'c.yml');
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.config.rancher?.network?.interfaces?.bond0?.bond_opts, { mode: 'active-backup', miimon: 100 });
    assert.deepEqual(r.config.rancher?.network?.dns?.override, true);
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
