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

  it('usage errors exit 2 and unknown commands suggest the closest', () => {
    const r = ros(['config', 'gett', 'hostname']);
    assert.equal(r.code, 2);
    assert.match(r.err, /Did you mean get\?/);
  });
});
