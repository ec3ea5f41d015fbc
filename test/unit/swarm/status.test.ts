import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SwarmNode } from '../../../src/docker/swarm';
import { quorumOf, renderNodes, renderStatus } from '../../../src/swarm/status';

const node = (hostname: string, role: string, reachability = '', over: Partial<SwarmNode> = {}): SwarmNode => ({
  id: `id-${hostname}`, hostname, role, state: 'ready', availability: 'active', addr: '10.0.0.1', reachability, leader: false, managerAddr: '', labels: {}, ...over,
});

describe('quorumOf', () => {
  it('needs a majority of the managers reachable', () => {
    assert.deepEqual(quorumOf([node('m1', 'manager', 'reachable'), node('w1', 'worker')]), { managers: 1, reachable: 1, needed: 1, ok: true });
    const three = [node('m1', 'manager', 'reachable'), node('m2', 'manager', 'unreachable'), node('m3', 'manager', 'reachable')];
    assert.deepEqual(quorumOf(three), { managers: 3, reachable: 2, needed: 2, ok: true });
    three[2]!.reachability = 'unreachable';
    assert.equal(quorumOf(three).ok, false);
  });
});

describe('renderStatus and renderNodes', () => {
  it('says what this node is, what the agent does, and the quorum', () => {
    const rows = renderStatus({
      configuredRole: 'manager',
      local: { state: 'active', nodeId: 'abc', nodeAddr: '10.0.0.1', isManager: true, clusterId: 'c1', error: '', remoteManagers: [] },
      agent: { state: 'member', detail: 'a manager of the swarm c1', at: 't' },
      nodes: [],
      quorum: { managers: 1, reachable: 1, needed: 1, ok: true },
    });
    assert.deepEqual(rows.map((r) => r[0]), ['this node', 'config', 'agent', 'cluster', 'quorum']);
    assert.equal(rows[0]![1], 'manager, node abc, address 10.0.0.1');
    assert.match(rows[4]![1]!, /1 of 1 manager\(s\) reachable, 1 needed: ok/);
  });

  it('says where the node list is on a worker, and why nothing is known without the user Docker', () => {
    const worker = renderStatus({ configuredRole: 'worker', local: { state: 'active', nodeId: 'w', nodeAddr: '10.0.0.2', isManager: false, clusterId: '', error: '', remoteManagers: ['10.0.0.1:2377'] }, agent: null, nodes: null, quorum: null });
    assert.match(worker.at(-1)![1]!, /10\.0\.0\.1:2377 \(the node list is on the managers/);
    const none = renderStatus({ configuredRole: null, local: null, dockerError: 'connect ENOENT', agent: null, nodes: null, quorum: null });
    assert.deepEqual(none, [['this node', 'unknown: connect ENOENT'], ['config', 'rancher.swarm is not set']]);
  });

  it('lists the nodes by host name, the leader marked', () => {
    const rows = renderNodes([node('w2', 'worker'), node('m1', 'manager', 'reachable', { leader: true })]);
    assert.deepEqual(rows.map((r) => `${r[0]} ${r[5]}`), ['HOSTNAME MANAGER', 'm1 leader', 'w2 ']);
  });
});
