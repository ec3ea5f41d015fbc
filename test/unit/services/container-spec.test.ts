import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL, type ComposeService } from '../../../src/config/service-types';
import { containerSpec, definitionHash, envList } from '../../../src/services/container-spec';

const docker: ComposeService = {
  image: 'ros/os-base:v1',
  command: 'dockerd --host=unix:///var/run/docker.sock',
  privileged: true,
  pid: 'host',
  net: 'host',
  ipc: 'host',
  uts: 'host',
  restart: 'on-failure:3',
  volumes: ['/var/lib/docker', '/usr/bin/dockerd:/usr/bin/dockerd:ro', '/var/run:/var/run'],
  labels: { [LABEL.scope]: 'system', [LABEL.after]: 'network' },
  environment: { HTTP_PROXY: 'http://p:3128', DEBUG: 1, PROXY: null, EMPTY: null },
  devices: ['/dev/kvm', '/dev/sda:/dev/xvda:r'],
};

describe('containerSpec', () => {
  const spec = containerSpec('docker', docker, { hash: 'abc123', vars: { PROXY: 'http://p:3128' } });

  it('sets privileged and the pid/net/ipc/uts modes', () => {
    assert.equal(spec.HostConfig?.Privileged, true);
    assert.equal(spec.HostConfig?.PidMode, 'host');
    assert.equal(spec.HostConfig?.NetworkMode, 'host');
    assert.equal(spec.HostConfig?.IpcMode, 'host');
    assert.equal(spec.HostConfig?.UTSMode, 'host');
  });

  it('prefers network_mode over net', () => {
    const s = containerSpec('n', { image: 'x', net: 'host', network_mode: 'none' }, { hash: 'h' });
    assert.equal(s.HostConfig?.NetworkMode, 'none');
  });

  it('separates binds from anonymous volumes', () => {
    assert.deepEqual(spec.HostConfig?.Binds, ['/usr/bin/dockerd:/usr/bin/dockerd:ro', '/var/run:/var/run']);
    assert.deepEqual(spec.Volumes, { '/var/lib/docker': {} });
  });

  it('reads restart on-failure:N as a retry count', () => {
    assert.deepEqual(spec.HostConfig?.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
    assert.deepEqual(containerSpec('a', { image: 'x', restart: 'always' }, { hash: 'h' }).HostConfig?.RestartPolicy, { Name: 'always' });
    assert.deepEqual(containerSpec('a', { image: 'x', restart: 'no' }, { hash: 'h' }).HostConfig?.RestartPolicy, { Name: '' });
  });

  it('labels the container with its service labels, the hash and the compose project', () => {
    assert.deepEqual(spec.Labels, {
      [LABEL.scope]: 'system',
      [LABEL.after]: 'network',
      [LABEL.hash]: 'abc123',
      'com.docker.compose.project': 'os',
      'com.docker.compose.service': 'docker',
    });
  });

  it('turns an environment map into KEY=value entries, copying bare names from the variables', () => {
    assert.deepEqual(spec.Env, ['HTTP_PROXY=http://p:3128', 'DEBUG=1', 'PROXY=http://p:3128']);
  });

  it('splits a string command into argv', () => {
    assert.deepEqual(spec.Cmd, ['dockerd', '--host=unix:///var/run/docker.sock']);
    assert.equal(spec.Entrypoint, undefined);
  });

  it('maps devices with default path and permissions', () => {
    assert.deepEqual(spec.HostConfig?.Devices, [
      { PathOnHost: '/dev/kvm', PathInContainer: '/dev/kvm', CgroupPermissions: 'rwm' },
      { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'r' },
    ]);
  });

  it('puts system containers in one shim group, and leaves user containers their own shims', () => {
    const annotations = (svc: ComposeService) => (containerSpec('s', svc, { hash: 'h' }).HostConfig as { Annotations?: Record<string, string> }).Annotations;
    assert.deepEqual(annotations(docker), { 'io.containerd.runc.v2.group': 'ros-system' });
    assert.equal(annotations({ image: 'x', labels: { [LABEL.scope]: 'user' } }), undefined);
  });

  it('defaults to unprivileged with no volumes and no namespace modes', () => {
    const s = containerSpec('plain', { image: 'x' }, { hash: 'h' });
    assert.equal(s.HostConfig?.Privileged, false);
    assert.equal(s.HostConfig?.PidMode, undefined);
    assert.equal(s.Volumes, undefined);
    assert.deepEqual(s.HostConfig?.Binds, []);
  });
});

describe('envList', () => {
  it('copies bare names and wildcards from the variables, leaving out what is not set', () => {
    const vars = { HTTP_PROXY: 'http://p:3128', AWS_KEY: 'k', AWS_REGION: 'eu', OTHER: 'o' };
    assert.deepEqual(envList(['A=1', 'HTTP_PROXY', 'NOPE', 'AWS_*'], vars), ['A=1', 'HTTP_PROXY=http://p:3128', 'AWS_KEY=k', 'AWS_REGION=eu']);
    assert.deepEqual(envList({ A: 1, HTTP_PROXY: null, NOPE: null }, vars), ['A=1', 'HTTP_PROXY=http://p:3128']);
  });

  it('leaves values alone: variables were filled when the service was loaded', () => {
    assert.deepEqual(envList(['A=$X', 'B=a*b'], { X: '1' }), ['A=$X', 'B=a*b']);
  });
});

describe('definitionHash', () => {
  it('does not depend on key order', () => {
    const a: ComposeService = { image: 'x', privileged: true, labels: { a: '1', b: '2' }, environment: { X: '1', Y: '2' } };
    const b: ComposeService = { environment: { Y: '2', X: '1' }, labels: { b: '2', a: '1' }, privileged: true, image: 'x' };
    assert.equal(definitionHash('s', a, 'sha256:1'), definitionHash('s', b, 'sha256:1'));
  });

  it('changes when a field, the name or the image id changes', () => {
    const base: ComposeService = { image: 'x', privileged: true, volumes: ['/a:/a'] };
    const h = definitionHash('s', base, 'sha256:1');
    assert.match(h, /^[0-9a-f]{16}$/);
    assert.notEqual(definitionHash('s', { ...base, privileged: false }, 'sha256:1'), h);
    assert.notEqual(definitionHash('s', { ...base, volumes: ['/a:/a:ro'] }, 'sha256:1'), h);
    assert.notEqual(definitionHash('t', base, 'sha256:1'), h);
    assert.notEqual(definitionHash('s', base, 'sha256:2'), h);
  });
});
