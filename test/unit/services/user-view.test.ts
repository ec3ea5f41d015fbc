// The console and the user Docker must see the same files at the paths a user
// works in, or `docker run -v PATH:…` from the console finds other (empty)
// directories. Both bundled definitions bind USER_VIEW_DIRS from the host —
// the console rshared (its mounts reach the host), the docker service rslave
// (it receives them and must send nothing back); this keeps the two files and
// the constant in step.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { USER_VIEW_DIRS } from '../../../src/config/paths';
import type { ServiceMap } from '../../../src/config/service-types';

const dir = join(__dirname, '..', '..', '..', 'system-services');
const volumesOf = (file: string, name: string) => (parse(readFileSync(join(dir, file), 'utf8')) as ServiceMap)[name]?.volumes ?? [];

describe('one file system view for the console and the user Docker', () => {
  for (const [file, name, propagation] of [['console.yml', 'console', 'rshared'], ['docker.yml', 'docker', 'rslave']] as const) {
    it(`${file} binds every user path from the host ${propagation}, and no other way`, () => {
      const volumes = volumesOf(file, name);
      for (const d of USER_VIEW_DIRS) {
        const binds = volumes.filter((v) => v.split(':')[1] === d);
        assert.deepEqual(binds, [`${d}:${d}:${propagation}`], `${file}: ${d}`);
      }
    });
  }

  it('covers the paths users write to', () => {
    for (const d of ['/home', '/opt', '/tmp', '/mnt', '/media', '/var/lib/rancher']) assert.ok(USER_VIEW_DIRS.includes(d), d);
  });
});
