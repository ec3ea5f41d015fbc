import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM_DOCKER_SOCK, USER_DOCKER_SOCK } from '../../../src/docker/clients';
import { systemDockerArgs, systemDockerEnv, whyDockerdStopped } from '../../../src/init/system-docker';

const flag = (args: string[], name: string) => args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));

describe('systemDockerArgs', () => {
  const args = systemDockerArgs();

  it('listens on the system-docker socket only', () => {
    assert.deepEqual(flag(args, 'host'), [`unix://${SYSTEM_DOCKER_SOCK}`]);
    assert.notEqual(SYSTEM_DOCKER_SOCK, USER_DOCKER_SOCK);
  });

  it('keeps its data in /var/lib/system-docker', () => {
    assert.deepEqual(flag(args, 'data-root'), ['/var/lib/system-docker']);
  });

  it("uses an exec-root apart from the user daemon's /var/run/docker", () => {
    const [execRoot, ...more] = flag(args, 'exec-root');
    assert.deepEqual(more, []);
    assert.ok(execRoot);
    assert.notEqual(execRoot, '/var/run/docker');
    assert.equal(execRoot.startsWith('/var/run/docker/'), false);
  });

  it('appends extra_args last', () => {
    const withExtra = systemDockerArgs({ extra_args: ['--debug', '--log-level=debug'] });
    assert.deepEqual(withExtra.slice(0, args.length), args);
    assert.deepEqual(withExtra.slice(args.length), ['--debug', '--log-level=debug']);
  });
});

describe('whyDockerdStopped', () => {
  it('keeps the last error, fatal and panic lines of the log', () => {
    const log = [
      'time="t" level=info msg="Starting up"',
      'time="t" level=error msg="first"',
      'time="t" level=warning msg="No swap limit support"',
      'failed to start daemon: error initializing graphdriver: driver not supported: overlay2',
      'time="t" level=fatal msg="last"',
    ].join('\n');
    assert.deepEqual(whyDockerdStopped(log, 2), ['failed to start daemon: error initializing graphdriver: driver not supported: overlay2', 'time="t" level=fatal msg="last"']);
    assert.deepEqual(whyDockerdStopped('a\nb\n\ntimeout waiting for containerd to start\n', 2), ['b', 'timeout waiting for containerd to start']);
    assert.deepEqual(whyDockerdStopped(''), []);
  });
});

describe('systemDockerEnv', () => {
  it('starts from a copy of the base, without DOCKER_RAMDISK (containers pivot_root)', () => {
    const base = { PATH: '/bin' };
    assert.deepEqual(systemDockerEnv(base), { PATH: '/bin' });
    assert.deepEqual(base, { PATH: '/bin' });
  });

  it('adds KEY=value environment entries, splitting at the first =', () => {
    const env = systemDockerEnv({ PATH: '/bin' }, { environment: ['HTTP_PROXY=http://p:3128', 'X=a=b', 'PATH=/usr/bin', 'junk', '=nokey'] });
    assert.deepEqual(env, { PATH: '/usr/bin', HTTP_PROXY: 'http://p:3128', X: 'a=b' });
  });
});
