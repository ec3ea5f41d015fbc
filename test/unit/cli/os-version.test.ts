import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { engineVersionOf } from '../../../src/docker/engine-version';
import { renderVersions, type NodeVersions } from '../../../src/cli/os-version';

describe('engineVersionOf', () => {
  it('takes the engine, API, containerd and runc versions of a /version answer', () => {
    const v = engineVersionOf({
      Version: '26.1.5+dfsg1',
      ApiVersion: '1.45',
      Components: [
        { Name: 'Engine', Version: '26.1.5+dfsg1' },
        { Name: 'containerd', Version: '1.7.24~ds1' },
        { Name: 'runc', Version: '1.1.15+ds1' },
        { Name: 'docker-init', Version: '0.19.0' },
      ],
    });
    assert.deepEqual(v, { version: '26.1.5+dfsg1', apiVersion: '1.45', containerd: '1.7.24~ds1', runc: '1.1.15+ds1' });
  });

  it('says unknown for what the daemon does not report', () => {
    assert.deepEqual(engineVersionOf({}), { version: 'unknown', apiVersion: 'unknown', containerd: undefined, runc: undefined });
  });
});

describe('renderVersions', () => {
  const base: NodeVersions = {
    version: '0.1.0', commit: 'abc1234', node: 'v24.22.3', kernel: '6.12.118+deb13-amd64',
    systemDocker: { version: '26.1.5', apiVersion: '1.45', containerd: '1.7.24', runc: '1.1.15' },
    docker: null, containerd: '1.7.24', runc: '1.1.15', unreachable: { docker: '/var/run/docker.sock: ENOENT' }, slots: null,
  };

  it('lists every part, a daemon that did not answer as not reachable', () => {
    assert.deepEqual(renderVersions(base), [
      ['ros', 'v0.1.0 (abc1234)'],
      ['node', 'v24.22.3'],
      ['kernel', '6.12.118+deb13-amd64'],
      ['system-docker', '26.1.5 (API 1.45)'],
      ['docker', 'not reachable'],
      ['containerd', '1.7.24'],
      ['runc', '1.1.15'],
      ['slot', 'none (not booted from an A/B install)'],
    ]);
  });

  it('says which slot runs, what the other holds, and how the last upgrade ended', () => {
    const rows = renderVersions({
      ...base,
      slots: {
        slot: 'a', other: 'b', otherVersion: '2.0.0', default: 'a', trial: null,
        lastUpgrade: null, lastUpgradeText: 'upgrade v1.0.0 -> v2.0.0 (slot b) FAILED and was rolled back at T: it did not reach init',
      },
    });
    assert.deepEqual(rows.slice(-3), [
      ['slot', 'a (default)'],
      ['other slot', 'b: v2.0.0'],
      ['last upgrade', 'upgrade v1.0.0 -> v2.0.0 (slot b) FAILED and was rolled back at T: it did not reach init'],
    ]);
  });
});
