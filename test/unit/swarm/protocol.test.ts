import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChallengeBook, clusterKeys, generateSecret, openReply, sealReply, signRequest, verifyRequest } from '../../../src/swarm/protocol';

const SECRET = 'k7Zc0v3mQ2xLr9PqTt8uWb5yHn1sDe4fA0bC';
const OTHER = 'a-different-secret-of-enough-length';
const once = (c: string) => {
  const seen = new Set<string>();
  return (x: string) => x === c && !seen.has(x) && Boolean(seen.add(x));
};

describe('cluster keys and secrets', () => {
  it('derives two different keys from one secret, the same on every node', () => {
    const a = clusterKeys(SECRET);
    const b = clusterKeys(SECRET);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.auth, a.seal);
    assert.notDeepEqual(clusterKeys(OTHER).auth, a.auth);
  });

  it('makes 43-character base64url secrets, a new one each time', () => {
    const s = generateSecret();
    assert.match(s, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(s, generateSecret());
  });
});

describe('a token request', () => {
  const keys = clusterKeys(SECRET);

  it('is accepted with the cluster secret and its challenge, once', () => {
    const req = signRequest(keys, { op: 'token', role: 'worker' }, 'c1');
    const take = once('c1');
    assert.deepEqual(verifyRequest(keys, req.body, req.mac, take), { ok: true, ask: { op: 'token', role: 'worker' } });
    // The same bytes again: a replay, refused although the MAC is right.
    const again = verifyRequest(keys, req.body, req.mac, take);
    assert.equal(again.ok, false);
    assert.equal(!again.ok && again.code, 'stale-challenge');
  });

  it('signed with another secret is refused as wrong-secret, with a message naming the setting', () => {
    const req = signRequest(clusterKeys(OTHER), { op: 'token', role: 'manager' }, 'c1');
    const r = verifyRequest(keys, req.body, req.mac, once('c1'));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'wrong-secret');
    assert.match(!r.ok ? r.message : '', /cluster_secret/);
  });

  it('is refused when a byte of the body changes (a worker asking to be a manager)', () => {
    const req = signRequest(keys, { op: 'token', role: 'worker' }, 'c1');
    const r = verifyRequest(keys, req.body.replace('worker', 'manager'), req.mac, once('c1'));
    assert.equal(!r.ok && r.code, 'wrong-secret');
  });

  it('is refused with a missing or malformed MAC, before its body is parsed', () => {
    for (const mac of ['', 'zz', '00'.repeat(31), '00'.repeat(32)]) {
      const r = verifyRequest(keys, 'not json at all', mac, () => true);
      assert.equal(!r.ok && r.code, 'wrong-secret', mac);
    }
  });

  it('is refused when its shape is not a request, even when signed', () => {
    const body = JSON.stringify({ v: 'ros-swarm-v1', ask: { op: 'token', role: 'admin' }, challenge: 'c1', nonce: 'n' });
    const { mac } = signRequest(keys, { op: 'token', role: 'worker' }, 'x');
    assert.equal(verifyRequest(keys, body, mac, () => true).ok, false);
  });

  it('carries labels for a node', () => {
    const req = signRequest(keys, { op: 'labels', node: 'n1', labels: { zone: 'a' } }, 'c2');
    assert.deepEqual(verifyRequest(keys, req.body, req.mac, once('c2')), { ok: true, ask: { op: 'labels', node: 'n1', labels: { zone: 'a' } } });
  });
});

describe('a sealed reply', () => {
  const keys = clusterKeys(SECRET);
  const req = signRequest(keys, { op: 'token', role: 'worker' }, 'c1');

  it('opens for the request it answers and holds the payload', () => {
    const reply = sealReply(keys, req.mac, { token: 'SWMTKN-1-abc', managers: ['10.0.0.1:2377'] });
    assert.ok(!JSON.stringify(reply).includes('SWMTKN'), 'the token is not readable on the wire');
    assert.deepEqual(openReply(keys, req.mac, reply), { ok: true, payload: { token: 'SWMTKN-1-abc', managers: ['10.0.0.1:2377'] } });
  });

  it('does not open for another request: an old reply replayed to a new request is useless', () => {
    const other = signRequest(keys, { op: 'token', role: 'worker' }, 'c2');
    const r = openReply(keys, other.mac, sealReply(keys, req.mac, { token: 't' }));
    assert.equal(r.ok, false);
  });

  it('made with another secret does not open, with a message that says so', () => {
    const r = openReply(keys, req.mac, sealReply(clusterKeys(OTHER), req.mac, { token: 't' }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /reply does not open with this node's cluster_secret/);
  });

  it('tampered or truncated does not open', () => {
    const reply = sealReply(keys, req.mac, { token: 't' });
    const data = Buffer.from(reply.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    assert.equal(openReply(keys, req.mac, { ...reply, data: data.toString('base64') }).ok, false);
    assert.equal(openReply(keys, req.mac, { iv: reply.iv, data: 'AAAA' }).ok, false);
    assert.equal(openReply(keys, req.mac, { error: 'x' }).ok, false);
  });
});

describe('ChallengeBook', () => {
  it('takes each challenge once, and not after it expired', () => {
    let now = 0;
    const book = new ChallengeBook(1000, 10, () => now);
    const a = book.issue();
    const b = book.issue();
    assert.equal(book.take(a), true);
    assert.equal(book.take(a), false);
    now = 2000;
    assert.equal(book.take(b), false);
    assert.equal(book.take('never-issued'), false);
  });

  it('keeps at most `max` open, dropping the oldest', () => {
    const book = new ChallengeBook(60_000, 2, () => 0);
    const first = book.issue();
    const second = book.issue();
    const third = book.issue();
    assert.equal(book.take(first), false);
    assert.equal(book.take(second), true);
    assert.equal(book.take(third), true);
  });
});
