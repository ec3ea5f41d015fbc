import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mountCommand, sysctlPath } from '../../../../src/init/stages/per-boot';

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

describe('mountCommand', () => {
  it('fills empty fields with their defaults instead of passing -t \'\'', () => {
    assert.deepEqual(mountCommand(['/dev/vdb', '/mnt/data', '', '']), { argv: ['mount', '-t', 'auto', '-o', 'defaults', '/dev/vdb', '/mnt/data'], target: '/mnt/data' });
    assert.deepEqual(mountCommand(['/dev/vdb', '/mnt/data']), { argv: ['mount', '-t', 'auto', '-o', 'defaults', '/dev/vdb', '/mnt/data'], target: '/mnt/data' });
    assert.deepEqual(mountCommand(['LABEL=x', '/srv', 'ext4', 'ro,noatime']), { argv: ['mount', '-t', 'ext4', '-o', 'ro,noatime', 'LABEL=x', '/srv'], target: '/srv' });
  });

  it('turns a swap entry on with swapon, as RancherOS did', () => {
    assert.deepEqual(mountCommand(['/dev/vdb', '', 'swap', '']), { argv: ['swapon', '/dev/vdb'], target: null });
    assert.deepEqual(mountCommand(['/swapfile', 'none', 'swap', 'sw']), { argv: ['swapon', '/swapfile'], target: null });
  });

  it('says what is wrong with an entry it cannot use', () => {
    assert.match((mountCommand(['', '/mnt']) as { error: string }).error, /names no device/);
    assert.match((mountCommand(['/dev/vdb', '', 'ext4']) as { error: string }).error, /names no mountpoint/);
    assert.match((mountCommand(['/dev/vdb', 'mnt', 'ext4']) as { error: string }).error, /not an absolute path/);
  });
});
