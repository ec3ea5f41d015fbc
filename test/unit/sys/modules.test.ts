import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadOrder, moduleName, parseModulesDep } from '../../../src/sys/modules';

// Shaped like a real modules.dep: each line lists the full transitive closure, deepest last.
const DEP = [
  'kernel/net/netfilter/nf_nat.ko.xz: kernel/net/netfilter/nf_conntrack.ko.xz kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz',
  'kernel/net/netfilter/nf_conntrack.ko.xz: kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz kernel/lib/libcrc32c.ko.xz',
  'kernel/net/ipv6/netfilter/nf_defrag_ipv6.ko.xz:',
  'kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz:',
  'kernel/lib/libcrc32c.ko.xz:',
  'kernel/fs/overlayfs/overlay.ko:',
  'kernel/drivers/net/veth.ko.zst:',
  'kernel/net/bridge/br_netfilter.ko.xz: kernel/net/bridge/bridge.ko.xz kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz',
  'kernel/net/bridge/bridge.ko.xz: kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz',
  'kernel/net/802/stp.ko.xz: kernel/net/llc/llc.ko.xz',
  'kernel/net/llc/llc.ko.xz:',
  '',
].join('\n');

describe('moduleName', () => {
  it('strips the directory and .ko / .ko.xz / .ko.zst', () => {
    assert.equal(moduleName('kernel/fs/overlayfs/overlay.ko'), 'overlay');
    assert.equal(moduleName('kernel/net/bridge/br_netfilter.ko.xz'), 'br_netfilter');
    assert.equal(moduleName('kernel/drivers/net/veth.ko.zst'), 'veth');
  });

  it('treats - and _ alike', () => {
    assert.equal(moduleName('nf-conntrack'), 'nf_conntrack');
    assert.equal(moduleName('kernel/x/crc32c-intel.ko.xz'), 'crc32c_intel');
  });
});

describe('parseModulesDep', () => {
  it('indexes each line by module name with its path and dependencies', () => {
    const index = parseModulesDep(DEP);
    assert.equal(index.size, 11);
    assert.deepEqual(index.get('stp'), { path: 'kernel/net/802/stp.ko.xz', deps: ['kernel/net/llc/llc.ko.xz'] });
    assert.deepEqual(index.get('overlay'), { path: 'kernel/fs/overlayfs/overlay.ko', deps: [] });
  });
});

describe('loadOrder', () => {
  const index = parseModulesDep(DEP);

  it('puts every module after all of its dependencies', () => {
    const { paths, unknown } = loadOrder(index, ['br_netfilter', 'nf_nat']);
    assert.deepEqual(unknown, []);
    for (const [i, path] of paths.entries()) {
      for (const dep of index.get(moduleName(path))?.deps ?? []) {
        const at = paths.indexOf(dep);
        assert.ok(at >= 0 && at < i, `${dep} must come before ${path}`);
      }
    }
    assert.equal(paths.at(-1), 'kernel/net/netfilter/nf_nat.ko.xz');
    assert.deepEqual(paths.slice(0, 4), ['kernel/net/llc/llc.ko.xz', 'kernel/net/802/stp.ko.xz', 'kernel/net/bridge/bridge.ko.xz', 'kernel/net/bridge/br_netfilter.ko.xz']);
  });

  it('loads a shared dependency once', () => {
    const { paths } = loadOrder(index, ['nf_conntrack', 'nf_nat', 'nf_conntrack']);
    assert.equal(paths.length, 5);
    assert.equal(new Set(paths).size, 5);
    assert.equal(paths.filter((p) => p === 'kernel/lib/libcrc32c.ko.xz').length, 1);
  });

  it('accepts dashed names and reports unknown ones as given', () => {
    const { paths, unknown } = loadOrder(index, ['nf-defrag-ipv4', 'ext4', 'no-such-mod']);
    assert.deepEqual(paths, ['kernel/net/ipv4/netfilter/nf_defrag_ipv4.ko.xz']);
    assert.deepEqual(unknown, ['ext4', 'no-such-mod']);
  });
});
