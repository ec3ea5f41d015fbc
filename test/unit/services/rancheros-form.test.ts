// A service file in RancherOS' own form, read and resolved the way the boot
// and `ros service up` do: variables, the standard volume containers, boot
// stages as dependencies, quoted booleans, ports and bare environment names.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { enabledServices, parseServiceFile, reachedBefore } from '../../../src/services/catalogue';
import { containerSpec } from '../../../src/services/container-spec';
import { fill, interpolateService, serviceVars } from '../../../src/services/interpolate';
import { version } from '../../../src/version';
import { startOrder } from '../../../src/services/order';
import { plan } from '../../../src/services/plan';
import { expandVolumeSets, VOLUME_SETS } from '../../../src/services/volume-sets';

const FILE = join(__dirname, 'fixtures', 'rancheros-service.yml');

describe('a RancherOS service file', () => {
  const parsed = parseServiceFile(readFileSync(FILE, 'utf8'), FILE);
  const environment = { HTTP_PROXY: 'http://proxy:3128', AWS_REGION: 'eu-west-1', AWS_KEY: 'k', UNRELATED: 'x' };
  const resolved = enabledServices({ rancher: { environment, services_include: { [FILE]: true } } }, '/nonexistent', '/nonexistent');
  const svc = resolved.services['open-vm-tools'];

  it('validates, leading --- and quoted "true" included', () => {
    assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.diagnostics));
    assert.deepEqual(resolved.problems, []);
    assert.equal(svc?.privileged, true);
  });

  it('fills ${REGISTRY_DOMAIN} and ${SUFFIX} with RancherOS\' defaults, ${X:-d} and $$ as compose does', () => {
    assert.equal(svc?.image, 'docker.io/example/os-openvmtools:12.1.0');
    assert.ok(svc?.environment && Array.isArray(svc.environment));
    assert.deepEqual(svc.environment, ['HTTP_PROXY=http://proxy:3128', 'AWS_KEY=k', 'AWS_REGION=eu-west-1', 'DEBUG=0', 'PRICE=$5']);
    assert.deepEqual(resolved.warnings, []);
  });

  it('mounts what all-volumes held, keeping its own binds', () => {
    assert.equal(svc?.volumes_from, undefined);
    assert.deepEqual(svc?.volumes, ['/var/lib/vmtools:/var/lib/vmtools', ...(VOLUME_SETS['all-volumes'] ?? [])]);
    assert.ok(svc?.volumes?.includes('/home:/home') && svc.volumes.includes('/usr/bin/ros:/usr/bin/ros:ro'));
  });

  it('is ordered after network and udev, which are boot stages here: no problem, no wait', () => {
    const order = startOrder({ 'open-vm-tools': svc ?? { image: '' } });
    assert.deepEqual(order.problems, []);
    assert.deepEqual(order.groups, [['open-vm-tools']]);
  });

  it('a user service ordered after the console (a system service) has it, with no false "not defined"', () => {
    const all = { console: { image: 'c' }, web: { image: 'w', labels: { 'io.rancher.os.scope': 'user', 'io.rancher.os.after': 'console' } } };
    assert.deepEqual(startOrder({ web: all.web }, reachedBefore(all, 'user')).problems, []);
    assert.equal(startOrder({ web: all.web }, reachedBefore(all, 'system')).problems[0]?.code, 'missing-dependency');
  });

  it('publishes its ports and is rebuilt at every up (io.docker.compose.rebuild: always)', () => {
    const spec = containerSpec('open-vm-tools', svc ?? { image: '' }, { hash: 'h' });
    assert.deepEqual(spec.ExposedPorts, { '443/tcp': {}, '53/udp': {} });
    assert.deepEqual(spec.HostConfig?.PortBindings, { '443/tcp': [{ HostIp: '', HostPort: '8443' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }] });
    const [a] = plan([{ name: 'open-vm-tools', svc: svc ?? { image: '' }, hash: 'h' }], [{ name: 'open-vm-tools', hash: 'h', running: true, state: 'running' }], { prune: false });
    assert.equal(a?.kind, 'recreate');
    assert.match(a?.reason ?? '', /io\.docker\.compose\.rebuild/);
  });
});

describe('interpolation', () => {
  const vars = serviceVars({ A: 'a', E: '' });
  it('knows compose\'s forms', () => {
    const missing = new Set<string>();
    assert.equal(fill('${A}/$A/${E:-d}/${E-d}/${N-d}/${N:-d}/$$A/${N}', vars, missing), 'a/a/d//d/d/$A/');
    assert.deepEqual([...missing], ['N']);
  });

  it('reports unset variables and leaves keys alone', () => {
    const r = interpolateService({ image: '${NOPE}x', labels: { '${A}': '${A}' } }, vars);
    assert.deepEqual(r, { svc: { image: 'x', labels: { '${A}': 'a' } }, missing: ['NOPE'] });
  });

  it('lets rancher.environment override RancherOS\' defaults', () => {
    assert.equal(serviceVars({ REGISTRY_DOMAIN: 'mirror.local' }).REGISTRY_DOMAIN, 'mirror.local');
  });

  it('names the running version as ROS_VERSION, the tag of the system image', () => {
    assert.equal(serviceVars().ROS_VERSION, version);
  });
});

describe('standard volume containers', () => {
  it('leaves a service alone when the map defines a container of that name itself', () => {
    const svc = { image: 'x', volumes_from: ['user-volumes', 'data'] };
    assert.deepEqual(expandVolumeSets(svc, new Set(['user-volumes'])), svc);
    assert.deepEqual(expandVolumeSets(svc, new Set()), { image: 'x', volumes: ['/home:/home', '/opt:/opt'], volumes_from: ['data'] });
  });

  it('does not mount a target twice: the service\'s own bind wins', () => {
    assert.deepEqual(expandVolumeSets({ image: 'x', volumes: ['/srv/home:/home'], volumes_from: ['user-volumes'] }, new Set()).volumes, ['/srv/home:/home', '/opt:/opt']);
  });
});
