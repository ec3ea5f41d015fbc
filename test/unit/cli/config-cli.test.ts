// `ros config` end to end on the host: the real CLI (from source) against a
// temporary conf dir, checking what a user sees — output, exit codes, the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ros-config-cli-'));
const conf = join(dir, 'conf');
mkdirSync(join(conf, 'cloud-config.d'), { recursive: true });
const osConfig = join(dir, 'os-config.yml');
writeFileSync(osConfig, 'rancher:\n  shutdown_timeout: 60\n');
after(() => rmSync(dir, { recursive: true, force: true }));

function ros(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts'), ...args], {
    env: { ...process.env, ROS_CONF_DIR: conf, ROS_OS_CONFIG: osConfig },
    input,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('ros config', () => {
  it('set writes cloud-config.yml (0600, block style) and get reads the value in force', () => {
    assert.equal(ros(['config', 'set', 'rancher.network.dns.nameservers', '[1.1.1.1, 8.8.8.8]']).code, 0);
    assert.equal(ros(['config', 'set', 'hostname', 'node1']).code, 0);
    const file = join(conf, 'cloud-config.yml');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^#cloud-config\nrancher:\n {2}network:/);
    assert.equal(ros(['config', 'get', 'hostname']).out, 'node1\n');
    assert.deepEqual(JSON.parse(ros(['config', 'get', 'rancher.network.dns.nameservers', '--json']).out), ['1.1.1.1', '8.8.8.8']);
    assert.equal(ros(['config', 'get', 'rancher.shutdown_timeout']).out, '60\n');
    assert.deepEqual(readdirSync(conf).filter((f) => f.includes('.tmp')), [], 'a temp file was left behind');
  });

  it('set refuses a value that makes the config invalid, exit 3, file unchanged', () => {
    const file = join(conf, 'cloud-config.yml');
    const before = readFileSync(file, 'utf8');
    const r = ros(['config', 'set', 'rancher.ssh.port', '70000']);
    assert.equal(r.code, 3);
    assert.match(r.err, /rancher\.ssh\.port/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('merge takes YAML on stdin and keeps the comments of the file', () => {
    const file = join(conf, 'cloud-config.yml');
    writeFileSync(file, '#cloud-config\n# my node\nhostname: node1\n');
    assert.equal(ros(['config', 'merge'], 'rancher:\n  sysctl:\n    vm.swappiness: 10\n').code, 0);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /# my node/);
    assert.equal(ros(['config', 'get', 'rancher.sysctl']).out, 'vm.swappiness: 10\n');
  });

  it('export redacts the password unless --private', () => {
    assert.equal(ros(['config', 'set', 'rancher.password', 'hunter2']).code, 0);
    assert.doesNotMatch(ros(['config', 'export']).out, /hunter2/);
    assert.match(ros(['config', 'export', '--private']).out, /hunter2/);
  });

  it('validate lists every error with file:line:column and exits 1', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, '#cloud-config\nhostnme: x\nrancher:\n  ssh:\n    port: "22"\n');
    const r = ros(['config', 'validate', '-i', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${bad}:2:1: hostnme`));
    assert.match(r.err, new RegExp(`${bad}:5:11: rancher\\.ssh\\.port`));
    assert.equal(ros(['config', 'validate']).code, 0, 'the node config itself is valid');
  });

  it('validate knows every datasource the boot knows, and suggests the closest for a misspelt one', () => {
    const good = join(dir, 'clouds.yml');
    writeFileSync(good, '#cloud-config\nrancher:\n  cloud_init:\n    datasources: [auto, ec2, gce, digitalocean, openstack, azure, hetzner, vultr, exoscale, aliyun, packet]\n');
    assert.equal(ros(['config', 'validate', '-i', good]).code, 0);
    const bad = join(dir, 'misspelt.yml');
    writeFileSync(bad, '#cloud-config\nrancher:\n  cloud_init:\n    datasources: [ec2, digitalocan]\n');
    const r = ros(['config', 'validate', '-i', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${bad}:4:24: rancher\\.cloud_init\\.datasources\\.1: "digitalocan" is invalid: .*did you mean digitalocean\\?`));
  });

  it('validate refuses a 3 MB file of 200,000 keys by its size, naming the limit', () => {
    const big = join(dir, 'big.yml');
    const lines = ['#cloud-config', 'environment:'];
    for (let i = 0; i < 200_000; i++) lines.push(`  k${i}: ${i}`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    assert.ok(statSync(big).size > 2_900_000, 'about 3 MB');
    // No clock: refusing by size means the keys are never parsed (parse.test checks the limit itself).
    const r = ros(['config', 'validate', '-i', big]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${big}: the file is 3\\.\\d MiB; a cloud-config may be at most 1\\.0 MiB \\[too-large\\]`));
  });

  it('validate stops an alias bomb with file and line, in text and in --json', () => {
    const bomb = join(dir, 'bomb.yml');
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg', 'gh', 'hi']) levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    writeFileSync(bomb, `${levels.join('\n')}\n`);
    const text = ros(['config', 'validate', '-i', bomb]);
    assert.equal(text.code, 1);
    assert.match(text.err, new RegExp(`${bomb}:5:\\d+: .*alias bomb.*\\[alias-bomb\\]`));
    const asJson = ros(['config', 'validate', '-i', bomb, '--json']);
    assert.equal(asJson.code, 1);
    const report = JSON.parse(asJson.out) as { valid: boolean; diagnostics: { code: string; file: string; line: number }[] };
    assert.equal(report.valid, false);
    assert.deepEqual(report.diagnostics.map((d) => [d.code, d.file, d.line]), [['alias-bomb', bomb, 5]]);
  });

  it('validate names a duplicate key, and a file that is not UTF-8', () => {
    const dup = join(dir, 'dup.yml');
    writeFileSync(dup, '#cloud-config\nrancher:\n  ssh:\n    port: 22\n  ssh: {}\n');
    const r = ros(['config', 'validate', '-i', dup]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${dup}:5:3: rancher\\.ssh: duplicate key "ssh" \\(first at line 3\\)`));
    const latin1 = join(dir, 'latin1.yml');
    writeFileSync(latin1, Buffer.concat([Buffer.from('hostname: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const l = ros(['config', 'validate', '-i', latin1]);
    assert.equal(l.code, 1);
    assert.match(l.err, new RegExp(`${latin1}:1:14: not UTF-8 text: byte 0xe9`));
  });

  it('validate passes a RancherOS key ros ignores, with a warning that names the line, in text and --json', () => {
    const compat = join(dir, 'compat.yml');
    writeFileSync(compat, '#cloud-config\nhostname: box\nrancher:\n  console: alpine\n');
    const r = ros(['config', 'validate', '-i', compat]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `valid (1 warning): ${compat}\n`);
    assert.match(r.err, new RegExp(`${compat}:4:3: warning: rancher\\.console: RancherOS key not supported by ros: ignored \\[ignored-key\\]`));
    const asJson = JSON.parse(ros(['config', 'validate', '-i', compat, '--json']).out) as { valid: boolean; warnings: { code: string; path: string; line: number }[] };
    assert.equal(asJson.valid, true);
    assert.deepEqual(asJson.warnings.map((w) => [w.code, w.path, w.line]), [['ignored-key', 'rancher.console', 4]]);
  });

  it('set warns when a file would set a key only the kernel cmdline sets', () => {
    const r = ros(['config', 'set', 'rancher.autologin', 'ttyS0']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /warning: rancher\.autologin: only the kernel command line sets this key/);
    assert.equal(ros(['config', 'get', 'rancher.autologin']).out, '', 'a file cannot set it');
  });

  it('validate with no input and no layers says there are none', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ros-empty-'));
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main.ts'), '--root', empty, 'config', 'validate'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /no config layers to validate: none of .*os-config\.yml.* exists/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('usage errors exit 2 and unknown commands suggest the closest', () => {
    const r = ros(['config', 'gett', 'hostname']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Did you mean get\?/);
  });
});
