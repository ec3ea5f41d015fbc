import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LABEL, type ComposeService, type ServiceMap } from '../../../src/config/service-types';
import { startOrder } from '../../../src/services/order';

const svc = (labels: Record<string, string> = {}): ComposeService => ({ image: 'x', labels });

describe('startOrder', () => {
  it('puts services with no path between them in one parallel group', () => {
    const { groups, problems } = startOrder({ c: svc(), a: svc(), b: svc() });
    assert.deepEqual(groups, [['a', 'b', 'c']]);
    assert.deepEqual(problems, []);
  });

  it('honours after and before together', () => {
    const services: ServiceMap = {
      network: svc(),
      udev: svc({ [LABEL.before]: 'network' }),
      docker: svc({ [LABEL.after]: 'network, udev' }),
      console: svc({ [LABEL.after]: 'docker' }),
      ntp: svc({ [LABEL.after]: 'network' }),
      syslog: svc(),
    };
    const { groups, deps, problems } = startOrder(services);
    assert.deepEqual(problems, []);
    assert.deepEqual(groups, [['syslog', 'udev'], ['network'], ['docker', 'ntp'], ['console']]);
    assert.deepEqual([...(deps.get('network') ?? [])], ['udev']);
    assert.deepEqual([...(deps.get('docker') ?? [])].sort(), ['network', 'udev']);
  });

  it('reports a missing dependency naming both services and still orders everything', () => {
    const { groups, problems } = startOrder({
      a: svc({ [LABEL.after]: 'ghost' }),
      b: svc({ [LABEL.before]: 'phantom' }),
    });
    assert.deepEqual(groups, [['a', 'b']]);
    assert.deepEqual(problems.map((p) => [p.code, p.services]), [
      ['missing-dependency', ['a', 'ghost']],
      ['missing-dependency', ['b', 'phantom']],
    ]);
  });

  it('reports a cycle naming the stuck services while the others are ordered', () => {
    const { groups, problems } = startOrder({
      x: svc({ [LABEL.after]: 'y' }),
      y: svc({ [LABEL.after]: 'x' }),
      z: svc({ [LABEL.after]: 'x' }),
      base: svc(),
      top: svc({ [LABEL.after]: 'base' }),
    });
    assert.deepEqual(groups, [['base'], ['top']]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'cycle');
    assert.deepEqual(problems[0]?.services, ['x', 'y', 'z']);
  });
});
