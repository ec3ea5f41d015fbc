import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonArgs, daemonConfig, proxyEnv, withDaemonSettings } from '../../../src/services/docker-daemon';

describe('rancher.docker: daemon settings', () => {
  it('turns RancherOS keys into dockerd flags, extra_args last', () => {
    assert.deepEqual(
      daemonArgs({ registry_mirror: 'http://m1, http://m2', insecure_registry: ['r:5000'], log_opts: { 'max-size': '25m', 'max-file': 2 }, extra_args: ['--debug'] }),
      ['--registry-mirror=http://m1', '--registry-mirror=http://m2', '--insecure-registry=r:5000', '--log-opt=max-size=25m', '--log-opt=max-file=2', '--debug'],
    );
    assert.deepEqual(daemonArgs(), []);
    assert.deepEqual(daemonArgs({ bip: '172.26.0.1/16' }), ['--bip=172.26.0.1/16']);
  });

  it('appends them to the docker service command and environment', () => {
    const svc = { image: 'ros/os-base', command: 'dockerd --host=unix:///var/run/docker.sock', environment: ['DOCKER_RAMDISK=true'] };
    const out = withDaemonSettings(svc, { insecure_registry: ['r:5000'], environment: ['HTTP_PROXY=http://p:3128'] });
    assert.deepEqual(out.command, ['dockerd', '--host=unix:///var/run/docker.sock', '--insecure-registry=r:5000']);
    assert.deepEqual(out.environment, ['DOCKER_RAMDISK=true', 'HTTP_PROXY=http://p:3128']);
  });

  it('keeps a map environment and leaves the service alone without settings', () => {
    const svc = { image: 'x', command: ['dockerd'], environment: { A: '1', B: null } };
    assert.deepEqual(withDaemonSettings(svc, { environment: ['C=3'] }).environment, ['A=1', 'B', 'C=3']);
    assert.equal(withDaemonSettings(svc, {}), svc);
    assert.equal(withDaemonSettings(svc, undefined), svc);
  });
});

describe('rancher.network proxies', () => {
  it('go to both daemons in both spellings, before their own environment', () => {
    const rancher = { network: { http_proxy: 'http://p:3128', no_proxy: 'localhost' }, docker: { environment: ['A=1'] } };
    assert.deepEqual(daemonConfig(rancher, 'docker').environment, ['HTTP_PROXY=http://p:3128', 'http_proxy=http://p:3128', 'NO_PROXY=localhost', 'no_proxy=localhost', 'A=1']);
    assert.deepEqual(daemonConfig(rancher, 'system_docker').environment, ['HTTP_PROXY=http://p:3128', 'http_proxy=http://p:3128', 'NO_PROXY=localhost', 'no_proxy=localhost']);
  });

  it('change nothing when unset', () => {
    assert.deepEqual(proxyEnv({}), []);
    assert.deepEqual(daemonConfig({ docker: { extra_args: ['--debug'] } }, 'docker'), { extra_args: ['--debug'] });
    assert.deepEqual(daemonConfig(undefined, 'docker'), {});
  });
});
