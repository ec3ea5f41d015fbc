import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { keyPath, mergeInto, redact, setKey } from '../../../src/config/edit';

describe('keyPath', () => {
  it('splits a dotted key', () => {
    assert.deepEqual(keyPath('rancher.network.dns.nameservers'), ['rancher', 'network', 'dns', 'nameservers']);
    assert.deepEqual(keyPath('hostname'), ['hostname']);
  });

  it('rejects empty parts', () => {
    for (const key of ['', '.a', 'a.', 'a..b']) assert.throws(() => keyPath(key), /invalid key/, key);
  });

  it('rejects keys that reach Object.prototype', () => {
    for (const key of ['__proto__', 'a.__proto__.b', 'constructor.x', 'a.prototype']) assert.throws(() => keyPath(key), /invalid key/, key);
  });
});

describe('setKey', () => {
  it('creates nested keys', () => {
    const out = setKey('hostname: box\n', 'rancher.ssh.port', '2222');
    assert.deepEqual(parseYaml(out), { hostname: 'box', rancher: { ssh: { port: 2222 } } });
  });

  it('replaces an existing value', () => {
    assert.deepEqual(parseYaml(setKey('rancher:\n  debug: false\n', 'rancher.debug', 'true')), { rancher: { debug: true } });
  });

  it('keeps existing comments', () => {
    const text = '#cloud-config\n# my box\nhostname: box # the name\nrancher:\n  # turn on when it breaks\n  debug: false\n';
    const out = setKey(text, 'rancher.network.dns.nameservers', '[8.8.8.8]');
    for (const comment of ['# my box', '# the name', '# turn on when it breaks']) assert.ok(out.includes(comment), `${comment} in ${out}`);
  });

  it('parses the value as YAML', () => {
    const v = (raw: string) => (parseYaml(setKey('', 'k', raw)) as { k: unknown }).k;
    assert.equal(v('42'), 42);
    assert.equal(v('true'), true);
    assert.equal(v('false'), false);
    assert.equal(v('ttyS0'), 'ttyS0');
    assert.equal(v('"42"'), '42');
    assert.deepEqual(v('[a, b]'), ['a', 'b']);
    assert.deepEqual(v('{x: 1}'), { x: 1 });
  });

  it('keeps a value as it was written: 0755 stays 0755, not the 493 it means', () => {
    assert.match(setKey('', 'write_files', '[{path: /a, permissions: 0755}]'), /permissions: 0755/);
    const merged = mergeInto('#cloud-config\nhostname: a # mine\n', 'write_files:\n  - path: /a\n    permissions: 0755\nrancher:\n  environment: {on: yes}\n');
    assert.match(merged, /permissions: 0755/);
    assert.match(merged, /hostname: a # mine/);
    assert.match(merged, /on: yes/);
    assert.match(setKey('x: 0644\n', 'y', '1'), /x: 0644/);
  });

  it('merges a patch that uses anchors and aliases', () => {
    assert.match(mergeInto('', 'a: &n [1, 2]\nb: *n\n'), /b:\s*\n?\s*- 1/);
  });

  it('adds a #cloud-config header once', () => {
    const out = setKey('hostname: box\n', 'rancher.debug', 'true');
    assert.ok(out.startsWith('#cloud-config\n'));
    const again = setKey(out, 'rancher.debug', 'false');
    assert.equal(again.match(/#cloud-config/g)?.length, 1);
  });

  it('writes block style into a new, empty file', () => {
    // `ros config set` on a box without cloud-config.yml passes ''.
    assert.equal(setKey('', 'rancher.ssh.port', '2222'), '#cloud-config\nrancher:\n  ssh:\n    port: 2222\n');
  });

  it('throws for a file that is not a map or does not parse', () => {
    assert.throws(() => setKey('- a\n- b\n', 'k', '1'));
    assert.throws(() => setKey('a: [unclosed\n', 'k', '1'));
  });

  it('throws for an invalid key', () => {
    assert.throws(() => setKey('a: 1\n', '__proto__.polluted', '1'), /invalid key/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('mergeInto', () => {
  it('merges maps key by key', () => {
    const out = mergeInto('hostname: box\nrancher:\n  debug: true\n', 'rancher:\n  ssh:\n    port: 2222\n');
    assert.ok(out.startsWith('#cloud-config\n'));
    assert.deepEqual(parseYaml(out), { hostname: 'box', rancher: { debug: true, ssh: { port: 2222 } } });
  });

  it('replaces lists instead of appending', () => {
    const out = mergeInto('rancher:\n  network:\n    dns:\n      nameservers: [1.1.1.1, 8.8.8.8]\n', 'rancher:\n  network:\n    dns:\n      nameservers: [9.9.9.9]\n');
    assert.deepEqual(parseYaml(out), { rancher: { network: { dns: { nameservers: ['9.9.9.9'] } } } });
  });

  it('lets the patch override scalars', () => {
    assert.deepEqual(parseYaml(mergeInto('hostname: a\n', 'hostname: b\n')), { hostname: 'b' });
  });

  it('merges into an empty file', () => {
    assert.deepEqual(parseYaml(mergeInto('', 'hostname: box\n')), { hostname: 'box' });
  });

  it('throws for input that is not a map', () => {
    assert.throws(() => mergeInto('a: 1\n', '- x\n- y\n'));
    assert.throws(() => mergeInto('a: 1\n', 'just a string\n'));
    assert.throws(() => mergeInto('- x\n', 'a: 1\n'));
  });

  it('keeps the comments of the file it merges into', () => {
    // The module promises to edit "while keeping the user's comments and layout".
    const out = mergeInto('#cloud-config\n# my box\nhostname: box # the name\n', 'rancher:\n  debug: true\n');
    assert.ok(out.includes('# my box'), out);
    assert.ok(out.includes('# the name'), out);
  });
});

describe('redact', () => {
  const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

  it('redacts password, token and secret keys at any depth', () => {
    const out = redact({
      password: 'p',
      rancher: { registry_auths: { 'docker.io': { password: 'hunter2', auth_token: 't0k' } }, docker: { client_secret: 's' } },
    });
    assert.deepEqual(out, {
      password: '<redacted>',
      rancher: { registry_auths: { 'docker.io': { password: '<redacted>', auth_token: '<redacted>' } }, docker: { client_secret: '<redacted>' } },
    });
  });

  it('redacts non-string secret values and each item of a secret list', () => {
    assert.deepEqual(redact({ token: 12345, passwords: ['a', 'b'] }), { token: '<redacted>', passwords: ['<redacted>', '<redacted>'] });
  });

  it('keeps ssh_authorized_keys (public keys)', () => {
    const keys = ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host'];
    assert.deepEqual(redact({ ssh_authorized_keys: keys }), { ssh_authorized_keys: keys });
  });

  it('redacts a PEM private key under any key', () => {
    const out = redact({ write_files: [{ path: '/root/.ssh/id_ed25519', content: PEM, permissions: '0600' }] });
    assert.deepEqual(out, { write_files: [{ path: '/root/.ssh/id_ed25519', content: '<redacted>', permissions: '0600' }] });
  });

  it('redacts rancher.swarm.cluster_secret and keeps the rest of rancher.swarm', () => {
    const out = redact({ rancher: { swarm: { role: 'worker', join: ['10.0.0.1'], cluster_secret: 'k7Zc0v3mQ2xLr9PqTt8uWb5yHn1sDe4f', labels: { zone: 'a' } } } });
    assert.deepEqual(out, { rancher: { swarm: { role: 'worker', join: ['10.0.0.1'], cluster_secret: '<redacted>', labels: { zone: 'a' } } } });
  });

  it('leaves non-secret keys untouched', () => {
    const cfg = { hostname: 'box', rancher: { keyboard: 'us', debug: true, network: { dns: { nameservers: ['1.1.1.1'] } } }, runcmd: ['echo hi'] };
    assert.deepEqual(redact(cfg), cfg);
  });

  it('does not invent a value for an empty or null secret', () => {
    assert.deepEqual(redact({ password: '', token: null }), { password: '', token: null });
  });

  it('does not change its input', () => {
    const cfg = { password: 'p' };
    redact(cfg);
    assert.deepEqual(cfg, { password: 'p' });
  });
});
