import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sysctlPath } from '../../../../src/init/stages/per-boot';

describe('sysctlPath', () => {
  it('maps dots to /proc/sys path parts', () => {
    assert.equal(sysctlPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
    assert.equal(sysctlPath('vm.max_map_count'), '/proc/sys/vm/max_map_count');
    assert.equal(sysctlPath('net.ipv6.conf.all.disable_ipv6'), '/proc/sys/net/ipv6/conf/all/disable_ipv6');
  });

  it('keeps dashes in names', () => {
    assert.equal(sysctlPath('net.bridge.bridge-nf-call-iptables'), '/proc/sys/net/bridge/bridge-nf-call-iptables');
  });

  it('rejects names that could leave /proc/sys', () => {
    for (const key of ['../etc/passwd', '..', 'net...ipv4', 'net..', 'kernel/../../etc/shadow', '/etc/passwd']) {
      assert.equal(sysctlPath(key), null, key);
    }
  });

  it('rejects spaces and other characters', () => {
    for (const key of ['net.ipv4.ip_forward ', 'net ipv4', 'kernel.core_pattern\n', 'a;b', '']) {
      assert.equal(sysctlPath(key), null, JSON.stringify(key));
    }
  });
});
