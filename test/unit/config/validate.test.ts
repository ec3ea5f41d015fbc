import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateConfig, validateValue } from '../../../src/config/validate';
import { closest, distance } from '../../../src/config/suggest';
import { DATASOURCE_NAMES, parseDatasource } from '../../../src/config/datasource-spec';

const FILE = '/var/lib/rancher/conf/cloud-config.yml';
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const repo = join(__dirname, '..', '..', '..');
const lineOf = (start: string) => fixture('rancheros-cloud-config.yml').split('\n').findIndex((l) => l.startsWith(start)) + 1;

/** [code, path, line, column] */
type Expected = [string, string, number, number];

interface Case {
  name: string;
  yaml: string;
  expect: Expected[];
  /** The key or value a "did you mean" must name, on the first diagnostic. */
  suggests?: string;
}

const CASES: Case[] = [
  // YAML syntax
  { name: 'bad indentation', yaml: 'rancher:\n  modules: [veth]\n bad: 1\n', expect: [['yaml-bad_indent', '', 3, 1]] },
  { name: 'tab as indentation', yaml: 'rancher:\n\tmodules: []\n', expect: [['yaml-tab_as_indent', '', 2, 1]] },
  { name: 'unclosed quote', yaml: 'hostname: "box\n', expect: [['yaml-missing_char', '', 2, 1]] },
  { name: 'duplicate key', yaml: 'hostname: a\nhostname: b\n', expect: [['yaml-duplicate_key', 'hostname', 2, 1]] },
  { name: 'top-level list', yaml: '- hostname: a\n', expect: [['not-a-map', '', 1, 1]] },
  { name: 'top-level scalar', yaml: 'just words\n', expect: [['not-a-map', '', 1, 1]] },
  // wrong types
  { name: 'hostname list', yaml: 'hostname:\n  - a\n', expect: [['type', 'hostname', 2, 3]] },
  { name: 'hostname not RFC 1123', yaml: 'hostname: my_host!\n', expect: [['pattern', 'hostname', 1, 11]] },
  { name: 'ssh_authorized_keys string', yaml: 'ssh_authorized_keys: ssh-rsa AAAA\n', expect: [['type', 'ssh_authorized_keys', 1, 22]] },
  { name: 'runcmd map', yaml: 'runcmd:\n  echo: hi\n', expect: [['type', 'runcmd', 2, 3]] },
  { name: 'mounts of strings', yaml: 'mounts:\n  - /dev/vdb /mnt ext4\n', expect: [['type', 'mounts.0', 2, 5]] },
  { name: 'rancher a list', yaml: 'rancher: [a]\n', expect: [['type', 'rancher', 1, 10]] },
  { name: 'ssh daemon a string', yaml: 'rancher:\n  ssh:\n    daemon: "yes"\n', expect: [['type', 'rancher.ssh.daemon', 3, 13]] },
  { name: 'shutdown_timeout string', yaml: 'rancher:\n  shutdown_timeout: "60"\n', expect: [['type', 'rancher.shutdown_timeout', 2, 21]] },
  { name: 'sysctl value list', yaml: 'rancher:\n  sysctl:\n    net.ipv4.ip_forward: [1]\n', expect: [['type', 'rancher.sysctl.net.ipv4.ip_forward', 3, 26]] },
  { name: 'modules a string', yaml: 'rancher:\n  modules: veth\n', expect: [['type', 'rancher.modules', 2, 12]] },
  { name: 'services_include yes/no string', yaml: 'rancher:\n  services_include:\n    open-vm-tools: "yes"\n', expect: [['type', 'rancher.services_include.open-vm-tools', 3, 20]] },
  { name: 'mtu quoted', yaml: 'rancher:\n  network:\n    interfaces:\n      eth0: {mtu: "1500"}\n', expect: [['type', 'rancher.network.interfaces.eth0.mtu', 4, 19]] },
  // unknown keys, with suggestions
  { name: 'unknown top-level key', yaml: 'hostnme: box\n', expect: [['unknown-key', 'hostnme', 1, 1]], suggests: 'hostname' },
  { name: 'rancher key at the top level', yaml: 'hostname: a\nservices_include: {}\n', expect: [['unknown-key', 'services_include', 2, 1]], suggests: 'rancher.services_include' },
  { name: 'unknown nested key', yaml: 'rancher:\n  netwrok:\n    dns: {}\n', expect: [['unknown-key', 'rancher.netwrok', 2, 3]], suggests: 'network' },
  { name: 'key in the wrong case', yaml: 'rancher:\n  SSH: {port: 22}\n', expect: [['unknown-key', 'rancher.SSH', 2, 3]], suggests: 'ssh' },
  { name: 'unknown key in a list item', yaml: 'write_files:\n  - path: /a\n    permision: "0644"\n', expect: [['unknown-key', 'write_files.0.permision', 3, 5]], suggests: 'permissions' },
  // enums, patterns, ranges
  { name: 'bad encoding', yaml: 'write_files:\n  - path: /a\n    encoding: base65\n    content: aGk=\n', expect: [['enum', 'write_files.0.encoding', 3, 15]], suggests: 'base64' },
  { name: 'bad log level', yaml: 'rancher:\n  log:\n    level: verbose\n', expect: [['enum', 'rancher.log.level', 3, 12]] },
  { name: 'permissions 999', yaml: 'write_files:\n  - path: /a\n    permissions: "999"\n', expect: [['pattern', 'write_files.0.permissions', 3, 18]] },
  { name: 'permissions rw-r--r--', yaml: 'write_files:\n  - path: /a\n    permissions: rw-r--r--\n', expect: [['pattern', 'write_files.0.permissions', 3, 18]] },
  { name: 'relative write_files path', yaml: 'write_files:\n  - path: etc/motd\n', expect: [['pattern', 'write_files.0.path', 2, 11]] },
  { name: 'write_files item without path', yaml: 'write_files:\n  - content: hi\n', expect: [['required', 'write_files.0.path', 2, 5]] },
  { name: 'ssh port 70000', yaml: 'rancher:\n  ssh:\n    port: 70000\n', expect: [['range', 'rancher.ssh.port', 3, 11]] },
  { name: 'ssh port 0 in flow style', yaml: 'rancher: {ssh: {port: 0}}\n', expect: [['range', 'rancher.ssh.port', 1, 23]] },
  { name: 'address without prefix', yaml: 'rancher:\n  network:\n    interfaces:\n      eth0:\n        address: 10.0.0.5\n', expect: [['pattern', 'rancher.network.interfaces.eth0.address', 5, 18]] },
  { name: 'address octet out of range', yaml: 'rancher:\n  network:\n    interfaces:\n      eth0:\n        address: 10.0.0.300/24\n', expect: [['pattern', 'rancher.network.interfaces.eth0.address', 5, 18]] },
  { name: 'nameserver not an address', yaml: 'rancher:\n  network:\n    dns:\n      nameservers: [8.8.8.8, dns.google]\n', expect: [['pattern', 'rancher.network.dns.nameservers.1', 4, 30]] },
  // write_files content
  { name: 'bad base64', yaml: 'write_files:\n  - path: /a\n    encoding: b64\n    content: "not base64!"\n', expect: [['bad-base64', 'write_files.0.content', 4, 14]] },
  { name: 'base64 without padding', yaml: 'write_files:\n  - path: /a\n    encoding: base64\n    content: aGk\n', expect: [['bad-base64', 'write_files.0.content', 4, 14]] },
  { name: 'bad gzip+base64', yaml: 'write_files:\n  - path: /a\n    encoding: gzip+base64\n    content: aGVsbG8=\n', expect: [['bad-gzip', 'write_files.0.content', 4, 14]] },
  { name: 'gz+b64 that is not base64', yaml: 'write_files:\n  - path: /a\n    encoding: gz+b64\n    content: "%%%%"\n', expect: [['bad-base64', 'write_files.0.content', 4, 14]] },
  // services
  { name: 'service without image', yaml: 'rancher:\n  services:\n    web:\n      restart: always\n', expect: [['required', 'rancher.services.web.image', 3, 5]] },
  {
    name: 'service key typo',
    yaml: 'rancher:\n  services:\n    web:\n      imag: nginx\n',
    expect: [['required', 'rancher.services.web.image', 3, 5], ['unknown-key', 'rancher.services.web.imag', 4, 7]],
  },
  { name: 'service labels a number', yaml: 'rancher:\n  services:\n    web:\n      image: nginx\n      labels: 5\n', expect: [['type', 'rancher.services.web.labels', 5, 15]] },
  { name: 'runcmd item a map', yaml: 'runcmd:\n  - {a: 1}\n', expect: [['type', 'runcmd.0', 2, 5]] },
  { name: 'hostname a quoted number pattern', yaml: 'hostname: "-42"\n', expect: [['pattern', 'hostname', 1, 11]] },
  { name: 'label value a map', yaml: 'rancher:\n  services:\n    web:\n      image: nginx\n      labels:\n        a: {b: c}\n', expect: [['type', 'rancher.services.web.labels.a', 6, 12]] },
  { name: 'service environment nested map', yaml: 'rancher:\n  services:\n    web:\n      image: nginx\n      environment:\n        A: {b: c}\n', expect: [['type', 'rancher.services.web.environment.A', 6, 12]] },
  { name: 'services a list', yaml: 'rancher:\n  services:\n    - web\n', expect: [['type', 'rancher.services', 3, 5]] },
  // several problems in one document: all reported, in source order
  {
    name: 'several errors in one document',
    yaml: [
      '#cloud-config', //                                  1
      'hostnme: box', //                                   2
      'ssh_authorized_keys: key', //                       3
      'write_files:', //                                   4
      '  - path: etc/x', //                                5
      '    permissions: "999"', //                         6
      '    encoding: b64', //                              7
      '    content: "!!"', //                              8
      'rancher:', //                                       9
      '  ssh: {port: 70000}', //                          10
      '  services:', //                                   11
      '    web: {imag: nginx}', //                        12
      '',
    ].join('\n'),
    expect: [
      ['unknown-key', 'hostnme', 2, 1],
      ['type', 'ssh_authorized_keys', 3, 22],
      ['pattern', 'write_files.0.path', 5, 11],
      ['pattern', 'write_files.0.permissions', 6, 18],
      ['bad-base64', 'write_files.0.content', 8, 14],
      ['range', 'rancher.ssh.port', 10, 15],
      ['required', 'rancher.services.web.image', 12, 5],
      ['unknown-key', 'rancher.services.web.imag', 12, 11],
    ],
    suggests: 'hostname',
  },
  // Datasource names: the boot's own parser's names, nothing else.
  {
    name: 'misspelt datasource',
    yaml: 'rancher:\n  cloud_init:\n    datasources: [ec2, digitalocan]\n',
    expect: [['pattern', 'rancher.cloud_init.datasources.1', 3, 24]],
    suggests: 'digitalocean',
  },
  { name: 'unknown datasource', yaml: 'rancher:\n  cloud_init:\n    datasources: [aws]\n', expect: [['pattern', 'rancher.cloud_init.datasources.0', 3, 19]] },
  { name: 'url datasource without a scheme', yaml: 'rancher:\n  cloud_init:\n    datasources: ["url:example.com"]\n', expect: [['pattern', 'rancher.cloud_init.datasources.0', 3, 19]] },
];

describe('validateConfig: YAML 1.1, as RancherOS (go-yaml v2) read it', () => {
  const read = (yaml: string) => {
    const r = validateConfig(yaml, FILE);
    assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.diagnostics));
    return r.config as Record<string, unknown> & { rancher: Record<string, unknown> };
  };

  it('reads a number or boolean where a string is wanted as it was written', () => {
    const c = read('hostname: 1234\nwrite_files:\n  - path: /a\n    permissions: 0755\nruncmd:\n  - 5\n  - [echo, 0x1F, 1_000, yes]\n');
    assert.equal(c.hostname, '1234');
    assert.deepEqual(c.write_files, [{ path: '/a', permissions: '0755' }]);
    assert.deepEqual(c.runcmd, ['5', ['echo', '0x1F', '1_000', 'yes']]);
  });

  it('reads yes/no/on/off as booleans where a boolean is wanted', () => {
    const c = read('rancher:\n  ssh:\n    daemon: off\n  recovery: yes\n');
    assert.deepEqual(c.rancher.ssh, { daemon: false });
    assert.equal(c.rancher.recovery, true);
  });

  it('reads 0x1F, 0755 and 1_000 as the numbers they are where a number is wanted', () => {
    assert.equal(read('rancher:\n  shutdown_timeout: 0x1F\n').rancher.shutdown_timeout, 31);
    assert.equal(read('rancher:\n  shutdown_timeout: 010\n').rancher.shutdown_timeout, 8);
    assert.equal(read('rancher:\n  shutdown_timeout: 1_000\n').rancher.shutdown_timeout, 1000);
  });

  it('keeps keys as written: `on:` and `y:` are keys, not booleans', () => {
    assert.deepEqual(read('rancher:\n  environment:\n    on: 1\n    y: no\n').rancher.environment, { on: '1', y: 'no' });
  });

  it('keeps what go-yaml v2 had no type for as text: 22:22, dates', () => {
    assert.deepEqual(read('rancher:\n  environment:\n    P: 22:22\n    D: 2001-12-14\n').rancher.environment, { P: '22:22', D: '2001-12-14' });
  });

  it('labels of booleans read as their text', () => {
    const c = read('rancher:\n  services:\n    web:\n      image: nginx\n      labels:\n        io.rancher.os.detach: false\n');
    assert.deepEqual((c.rancher.services as Record<string, { labels: unknown }>).web?.labels, { 'io.rancher.os.detach': 'false' });
  });
});

describe('validateConfig: malformed input', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = validateConfig(c.yaml, FILE);
      assert.equal(r.ok, false, 'expected diagnostics');
      if (r.ok) return;
      assert.deepEqual(r.diagnostics.map((d) => [d.code, d.path, d.line, d.column]), c.expect);
      for (const d of r.diagnostics) {
        assert.equal(d.file, FILE);
        assert.ok(d.message.length > 0);
      }
      if (c.suggests) assert.match(r.diagnostics[0]?.message ?? '', new RegExp(`did you mean ${c.suggests.replace(/\./g, '\\.')}\\?`));
    });
  }

  it('covers at least 25 malformed inputs', () => assert.ok(CASES.length >= 25));

  it('suggests nothing when no key is close', () => {
    const r = validateConfig('zzzzzz: 1\n', FILE);
    assert.ok(!r.ok && r.diagnostics[0]?.code === 'unknown-key' && !/did you mean/.test(r.diagnostics[0].message));
  });
});

describe('validateConfig: valid documents', () => {
  it('accepts every datasource name the boot knows', () => {
    const names = [...DATASOURCE_NAMES, 'url:http://10.0.0.1/cc.yml', 'file:/etc/cc.yml'];
    const r = validateConfig(`rancher:\n  cloud_init:\n    datasources: ${JSON.stringify(names)}\n`, FILE);
    assert.ok(r.ok, JSON.stringify(r));
    for (const n of names) assert.ok(parseDatasource(n), n);
  });

  it('accepts an empty document and a bare #cloud-config line', () => {
    assert.deepEqual(validateConfig('', FILE), { ok: true, config: {}, warnings: [] });
    assert.deepEqual(validateConfig('#cloud-config\n', FILE), { ok: true, config: {}, warnings: [] });
  });

  it('accepts a realistic RancherOS cloud-config', () => {
    const r = validateConfig(fixture('rancheros-cloud-config.yml'), FILE);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.config.hostname, 'rancher-01');
    assert.equal(r.config.write_files?.length, 4);
    // rancher.autologin and rancher.state are read from the kernel cmdline only: in a file each is a warning, and dropped.
    assert.deepEqual(r.warnings.map((w) => [w.code, w.path, w.line]), [['cmdline-only', 'rancher.autologin', lineOf('  autologin:')], ['cmdline-only', 'rancher.state', lineOf('  state:')]]);
    assert.equal(r.config.rancher?.state, undefined);
    assert.equal(r.config.rancher?.autologin, undefined);
  });

  it('accepts several services in both label and environment forms', () => {
    const r = validateConfig(fixture('multi-service.yml'), FILE);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(Object.keys(r.config.rancher?.services ?? {}), ['ntp', 'migrate', 'app']);
  });

  it('accepts the image defaults and the bundled system services', () => {
    const osConfig = validateConfig(readFileSync(join(repo, 'system-services/os-config.yml'), 'utf8'), 'os-config.yml');
    assert.ok(osConfig.ok, JSON.stringify(osConfig));
    const dir = join(repo, 'system-services');
    const services = readdirSync(dir).filter((f) => f.endsWith('.yml') && f !== 'os-config.yml');
    assert.ok(services.length > 0);
    for (const f of services) {
      const r = validateValue({ rancher: { services: parse(readFileSync(join(dir, f), 'utf8')) } }, f);
      assert.ok(r.ok, `${f}: ${JSON.stringify(r)}`);
    }
  });

  it('passes YAML warnings through without failing', () => {
    const r = validateConfig('hostname: !custom box\n', FILE);
    assert.ok(r.ok);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.line, w.column]), [['yaml-tag_resolve_failed', 1, 11]]);
  });
});

describe('validateConfig: warnings that name their line', () => {
  it('keeps a RancherOS key ros ignores out, valid, with a warning at its line', () => {
    const r = validateConfig('#cloud-config\nhostname: box\nrancher:\n  console: alpine\n', FILE);
    assert.ok(r.ok);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.path, w.line, w.column]), [['ignored-key', 'rancher.console', 4, 3]]);
  });

  it('warns about keys only the kernel cmdline sets, and drops them from the file', () => {
    const r = validateConfig('rancher:\n  autologin: ttyS0\n  state:\n    dev: /dev/vdb\n  password: x\n', FILE);
    assert.ok(r.ok);
    assert.deepEqual(r.warnings.map((w) => [w.code, w.path, w.line]), [['cmdline-only', 'rancher.autologin', 2], ['cmdline-only', 'rancher.state', 3]]);
    assert.match(r.warnings[0]?.message ?? '', /only the kernel command line sets this key/);
    assert.deepEqual(r.config, { rancher: { password: 'x' } });
  });

  it('does not echo a 1 MB value whole', () => {
    const r = validateConfig(`hostname: ${'x'.repeat(1_000_000)}!\n`, FILE);
    assert.ok(!r.ok);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.path]), [['pattern', 'hostname']]);
    assert.ok((r.diagnostics[0]?.message.length ?? 0) < 300, r.diagnostics[0]?.message.slice(0, 300));
    assert.match(r.diagnostics[0]?.message ?? '', /\(1000001 characters\)/);
  });
});

describe('validateValue (cmdline layers)', () => {
  it('reports the same codes without positions', () => {
    const r = validateValue({ rancher: { netwrok: {}, ssh: { port: 0 }, autologin: 1 } }, 'cmdline');
    assert.ok(!r.ok);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.path, d.file, d.line, d.column]), [
      ['unknown-key', 'rancher.netwrok', 'cmdline', undefined, undefined],
      ['type', 'rancher.autologin', 'cmdline', undefined, undefined],
      ['range', 'rancher.ssh.port', 'cmdline', undefined, undefined],
    ]);
  });

  it('rejects a value that is not a map', () => {
    const r = validateValue(['a'], 'cmdline');
    assert.deepEqual(r.ok ? [] : r.diagnostics.map((d) => d.code), ['not-a-map']);
  });

  it('keeps cmdline-only keys in a cmdline layer, and checks their type there', () => {
    assert.ok(validateValue({ rancher: { state: { autoformat: ['/dev/vda'] } } }, 'cmdline').ok);
    const r = validateValue({ rancher: { state: { autoformat: '/dev/vda' } } }, 'cmdline');
    assert.deepEqual(r.ok ? [] : r.diagnostics.map((d) => [d.code, d.path]), [['type', 'rancher.state.autoformat']]);
  });

  it('accepts a valid cmdline layer', () => {
    assert.deepEqual(validateValue({ rancher: { autologin: 'ttyS0' } }, 'cmdline'), { ok: true, config: { rancher: { autologin: 'ttyS0' } }, warnings: [] });
  });
});

describe('closest', () => {
  const keys = ['hostname', 'network', 'image', 'ssh', 'services_include'];
  it('finds typos, transpositions and case differences', () => {
    assert.equal(closest('hostnme', keys), 'hostname');
    assert.equal(closest('netwrok', keys), 'network');
    assert.equal(closest('imag', keys), 'image');
    assert.equal(closest('SSH', keys), 'ssh');
    assert.equal(closest('service_include', keys), 'services_include');
  });
  it('allows a third of the word in edits for long words, and at least max', () => {
    assert.equal(closest('srvices_inclde', keys), 'services_include');
    assert.equal(closest('hostnm', keys, 1), 'hostname'); // length 6: limit max(1, 2) = 2
    assert.equal(closest('zzzzzz', keys), undefined);
  });
  it('computes the Levenshtein distance', () => {
    assert.equal(distance('kitten', 'sitting'), 3);
    assert.equal(distance('', 'abc'), 3);
    assert.equal(distance('same', 'same'), 0);
  });
});
