// Tests without a server: backoff bounds, the frame codec, errors, and the client's request,
// reconnect and change-feed logic against an in-process fake server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode, encode } from '@msgpack/msgpack';
import {
  Client,
  CLIENT_ERROR_CODES,
  RavenpostError,
  SERVER_ERROR_CODES,
  backoffCeiling,
  backoffDelay,
  connect,
  decodeFrame,
  encodeFrame,
  isServerErrorCode,
} from '../dist/index.js';
import { FeedServer, fakeWebSocket } from './helpers/fake.mjs';
import { nextEvent, sleep, until } from './helpers/node.mjs';

describe('backoff', () => {
  it('stays within [minDelayMs, ceiling] and the ceiling doubles up to maxDelayMs', () => {
    const opts = { minDelayMs: 100, maxDelayMs: 5000, factor: 2 };
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10, 100, 5000].map((a) => backoffCeiling(a, opts));
    assert.deepEqual(ceilings, [200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000]);
    for (let attempt = 0; attempt < 50; attempt++) {
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(attempt, opts);
        assert.ok(d >= 100 && d <= backoffCeiling(attempt, opts), `attempt ${attempt}: ${d}`);
      }
    }
  });

  it('is full jitter: the extremes of random() reach both ends of the window', () => {
    const opts = { minDelayMs: 250, maxDelayMs: 8000 };
    assert.equal(backoffDelay(3, opts, () => 0), 250);
    assert.equal(backoffDelay(3, opts, () => 0.9999999), 4000);
    assert.equal(backoffDelay(3, opts, () => 0.5), Math.round(250 + 0.5 * (4000 - 250)));
  });

  it('spreads delays over the window rather than bunching them', () => {
    const opts = { minDelayMs: 0, maxDelayMs: 10_000 };
    assert.equal(backoffCeiling(20, opts), 10_000);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 5000; i++) buckets[Math.min(9, Math.floor(backoffDelay(20, opts) / 1000))]++;
    for (const b of buckets) assert.ok(b > 300 && b < 700, `uneven buckets ${buckets}`);
  });

  it('survives absurd inputs', () => {
    assert.equal(backoffCeiling(1e9, { minDelayMs: 10, maxDelayMs: 100 }), 100);
    assert.equal(backoffCeiling(-5, { minDelayMs: 10, maxDelayMs: 100 }), 20);
    assert.equal(backoffCeiling(3, { minDelayMs: 500, maxDelayMs: 100 }), 500); // max below min: min wins
    assert.equal(backoffDelay(2, { minDelayMs: 10, maxDelayMs: 100 }, () => 7), 80); // random clamped to 1
  });
});

describe('frame codec', () => {
  const frame = { id: 7, op: 'mail.list', body: { cursor: '12', limit: 20, known: { '42': true } } };

  it('encodes JSON as text and msgpack as bytes of the same shape', () => {
    const text = encodeFrame(frame, 'json');
    assert.equal(typeof text, 'string');
    assert.deepEqual(JSON.parse(text), frame);
    const bin = encodeFrame(frame, 'msgpack');
    assert.ok(bin instanceof Uint8Array);
    assert.deepEqual(decode(bin), frame);
  });

  it('leaves undefined fields out in both encodings', () => {
    const f = { id: 1, op: 'mail.list', body: { cursor: undefined, limit: 5 } };
    assert.deepEqual(JSON.parse(encodeFrame(f, 'json')).body, { limit: 5 });
    assert.deepEqual(decode(encodeFrame(f, 'msgpack')).body, { limit: 5 });
  });

  it('decodes text, ArrayBuffer, Buffer, a view at an offset, and fragments', () => {
    const reply = { id: 3, ok: true, body: { unread: 2, serverTime: 1_796_550_233_450 } };
    const bytes = encode(reply);
    assert.deepEqual(decodeFrame(JSON.stringify(reply)), reply);
    assert.deepEqual(decodeFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), reply);
    assert.deepEqual(decodeFrame(Buffer.from(bytes)), reply);
    const padded = new Uint8Array(bytes.length + 10);
    padded.set(bytes, 5);
    assert.deepEqual(decodeFrame(padded.subarray(5, 5 + bytes.length)), reply);
    assert.deepEqual(decodeFrame([Buffer.from(bytes.subarray(0, 4)), Buffer.from(bytes.subarray(4))]), reply);
  });

  it('keeps int64 times exact and decodes a server-style uint64', () => {
    // The server writes longs with the smallest msgpack int format; a time needs int64/uint64.
    const bytes = new Uint8Array([0x81, 0xa1, 0x74, 0xcf, 0, 0, 1, 0xa2, 0x53, 0x6e, 0x1d, 0x4a]);
    assert.deepEqual(decodeFrame(bytes), { t: 0x1a2536e1d4a });
  });

  it('refuses what is not one object', () => {
    assert.throws(() => decodeFrame('[1,2]'), TypeError);
    assert.throws(() => decodeFrame('null'), TypeError);
    assert.throws(() => decodeFrame('{"id":'), SyntaxError);
    assert.throws(() => decodeFrame(encode(5)), TypeError);
    assert.throws(() => decodeFrame(42), TypeError);
  });
});

describe('errors', () => {
  it('lists every server code of the protocol and the client-only ones', () => {
    for (const c of ['BAD_REQUEST', 'UNKNOWN_OP', 'NOT_AUTHENTICATED', 'AUTH_INVALID', 'AUTH_EXPIRED', 'LOGIN_CONFLICT',
      'NOT_FOUND', 'MAIL_EXPIRED', 'ALREADY_CLAIMED', 'NO_ATTACHMENTS', 'HAS_UNCLAIMED', 'RATE_LIMITED', 'TOO_LARGE',
      'UNAVAILABLE', 'INTERNAL', 'FORBIDDEN', 'IN_FLIGHT', 'IDEMPOTENCY_MISMATCH']) {
      assert.ok(SERVER_ERROR_CODES.includes(c), c);
      assert.ok(isServerErrorCode(c));
    }
    assert.deepEqual([...CLIENT_ERROR_CODES], ['TIMEOUT', 'DISCONNECTED', 'CLOSED']);
    assert.equal(isServerErrorCode('TIMEOUT'), false);
  });

  it('is an Error with code, op, requestId and retryable', () => {
    const e = new RavenpostError('UNAVAILABLE', 'redis down', { op: 'mail.list', requestId: 'abc:1' });
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'RavenpostError');
    assert.equal(e.code, 'UNAVAILABLE');
    assert.equal(e.op, 'mail.list');
    assert.equal(e.requestId, 'abc:1');
    assert.equal(e.retryable, true);
    assert.equal(new RavenpostError('ALREADY_CLAIMED', 'x').retryable, false);
  });
});

/** A client against a fake server; quick heartbeats off unless asked. */
function fakeClient(server, opts = {}) {
  return new Client({
    url: 'ws://fake/ws',
    token: 't0',
    WebSocket: fakeWebSocket(server),
    heartbeatMs: 0,
    reconnect: { minDelayMs: 5, maxDelayMs: 20 },
    ...opts,
  });
}

describe('client against a fake server', () => {
  it('needs a WebSocket: a clear error when none is given and there is no global one', () => {
    const saved = globalThis.WebSocket;
    delete globalThis.WebSocket;
    try {
      assert.throws(() => new Client({ url: 'ws://x/ws', token: 't' }), /--experimental-websocket/);
    } finally {
      if (saved) globalThis.WebSocket = saved;
    }
    assert.throws(() => new Client({ url: 'ws://x/ws', WebSocket: fakeWebSocket(new FeedServer()) }), /token/);
  });

  it('matches replies to requests by id, whatever their order', async () => {
    const server = new FeedServer();
    server.handler = async (_s, f) => {
      await sleep(f.body.wait);
      return { echo: f.body.n };
    };
    const c = await fakeClient(server).connect();
    const out = await Promise.all([
      c.request('x.echo', { n: 1, wait: 40 }),
      c.request('x.echo', { n: 2, wait: 0 }),
      c.request('x.echo', { n: 3, wait: 20 }),
    ]);
    assert.deepEqual(out.map((r) => r.echo), [1, 2, 3]);
    const ids = server.sockets[0].sent.map((f) => f.id);
    assert.equal(new Set(ids).size, ids.length, 'request ids are unique');
    await c.close();
  });

  it('rejects with the server code as a RavenpostError, and with TIMEOUT when no reply comes', async () => {
    const server = new FeedServer();
    const Ws = fakeWebSocket(server);
    server.handler = (_s, f) => {
      if (f.op === 'mail.claim') throw { code: 'ALREADY_CLAIMED', message: 'mail 5 was already claimed' };
      return Ws.NO_REPLY;
    };
    const c = await new Client({ url: 'ws://fake/ws', token: 't', WebSocket: Ws, heartbeatMs: 0, requestTimeoutMs: 50 }).connect();
    await assert.rejects(c.mail.claim(5), (e) => e instanceof RavenpostError && e.code === 'ALREADY_CLAIMED'
      && e.op === 'mail.claim' && /already claimed/.test(e.message));
    await assert.rejects(c.mail.unread(), (e) => e.code === 'TIMEOUT' && e.op === 'mail.unread');
    await c.close();
    await assert.rejects(c.mail.list(), (e) => e.code === 'CLOSED');
  });

  it('sends msgpack as binary frames and reads binary replies', async () => {
    const server = new FeedServer();
    server.handler = () => ({ mails: [], nextCursor: null });
    const c = await fakeClient(server, { encoding: 'msgpack', locale: 'pt-BR' }).connect();
    assert.deepEqual(await c.mail.list({ limit: 5 }), { mails: [], nextCursor: null });
    assert.equal(server.sockets[0].binary, true);
    assert.deepEqual(server.logins[0], { token: 't0', locale: 'pt-BR' });
    await c.close();
  });

  it('rejects connect() when the first login fails', async () => {
    const server = new FeedServer();
    const c = fakeClient(server, { token: 'bad' });
    await assert.rejects(c.connect(), (e) => e.code === 'AUTH_INVALID');
    assert.equal(c.state, 'closed');
    server.refuse = true;
    await assert.rejects(fakeClient(server).connect(), (e) => e.code === 'DISCONNECTED');
  });

  it('sends heartbeats every heartbeatMs', async () => {
    const server = new FeedServer();
    const c = await fakeClient(server, { heartbeatMs: 20 }).connect();
    await until(() => server.ops.filter((o) => o === 'heartbeat').length >= 3, 2000, 'three heartbeats');
    await c.close();
    const n = server.ops.length;
    await sleep(60);
    assert.equal(server.ops.length, n, 'no heartbeat after close()');
  });

  it('reconnects after an unheard heartbeat', async () => {
    const server = new FeedServer();
    const Ws = fakeWebSocket(server);
    let mute = true;
    server.handler = () => ({});
    const base = server.handle.bind(server);
    server.handle = (s, f) => (f.op === 'heartbeat' && mute && server.logins.length === 1 ? Ws.NO_REPLY : base(s, f));
    const c = await new Client({ url: 'ws://fake/ws', token: 't', WebSocket: Ws, heartbeatMs: 30, requestTimeoutMs: 40,
      reconnect: { minDelayMs: 5, maxDelayMs: 10 } }).connect();
    const again = await nextEvent(c, 'connected', 2000);
    assert.equal(again.reconnected, true);
    mute = false;
    await c.close();
  });

  it('tracks seq from login and pushes, drops repeats, and emits mail.new / mail.changed', async () => {
    const server = new FeedServer();
    server.change('new');
    const c = await fakeClient(server).connect();
    assert.equal(c.seq, 1);
    assert.equal(c.epoch, 'e1');
    const seen = [];
    c.on('mail.new', (e) => seen.push(['new', e.seq, e.mail.mailId]));
    c.on('mail.changed', (e) => seen.push([e.change.type, e.change.seq, e.source]));
    const m = server.change('new');
    server.change('read', m.mailId);
    server.current.push('mail.new', { mail: m.mail, unread: 1, seq: 2 }); // a repeat
    await until(() => seen.length >= 2 && c.seq === 3, 1000, 'two changes');
    await sleep(20);
    assert.deepEqual(seen, [['new', 2, m.mailId], ['read', 3, 'push']]);
    assert.equal(c.unread, 0);
    await c.close();
  });

  it('fills a gap with mail.sync; a push the catch-up already covered is not emitted twice', async () => {
    const server = new FeedServer({ pageSize: 2 });
    const c = await fakeClient(server).connect();
    const seen = [];
    c.on('mail.new', (e) => seen.push(`push:new:${e.seq}`));
    c.on('mail.changed', (e) => seen.push(`${e.source}:${e.change.type}:${e.change.seq}`));
    const synced = nextEvent(c, 'synced', 2000);
    const m = server.change('new', undefined, { silent: true });
    server.change('read', m.mailId, { silent: true }); // e.g. this session's own open
    server.change('claimed', m.mailId, { silent: true });
    server.change('new'); // seq 4 pushed: 1..3 missing, and the feed already holds 4 when the client asks
    const s = await synced;
    assert.equal(s.seq, 4);
    assert.equal(s.changes, 4);
    await sleep(20);
    assert.equal(c.seq, 4);
    assert.deepEqual(seen, ['sync:new:1', 'sync:read:2', 'sync:claimed:3', 'sync:new:4']);
    assert.equal(c.unread, 1, 'the unread count of the covered push');
    assert.deepEqual(server.syncs.map((x) => x.since), [0, 2], 'two pages, the second from the last seq applied');
    await c.close();
  });

  it('after a drop: logs in again with a fresh token, syncs every page from the last seq, and ends with no repeat', async () => {
    const server = new FeedServer({ pageSize: 2 });
    let tokens = 0;
    const c = await fakeClient(server, { tokenProvider: async () => `tok${++tokens}` }).connect();
    const m1 = server.change('new');
    await until(() => c.seq === 1, 1000, 'seq 1');
    const seen = [];
    c.on('mail.new', (e) => seen.push(`push:new:${e.seq}`));
    c.on('mail.changed', (e) => seen.push(`${e.source}:${e.change.type}:${e.change.seq}`));
    const events = [];
    for (const ev of ['disconnected', 'reconnecting', 'connected', 'synced', 'resync']) c.on(ev, () => events.push(ev));

    server.current.drop();
    server.current = null;
    // While the client is away: five changes it does not hear about.
    server.change('read', m1.mailId);
    const m2 = server.change('new');
    server.change('new');
    server.change('claimed', m2.mailId);
    server.change('deleted', m2.mailId);
    // A change lands after the last page was read but is pushed before that page's reply
    // arrives: the client must hold the push until the catch-up is done, then apply it.
    const base = server.handle.bind(server);
    server.handle = (s, f) => {
      const r = base(s, f);
      if (f.op === 'mail.sync' && f.body.since === 5) server.change('read', m2.mailId);
      return r;
    };
    await until(() => c.seq === 7, 3000, 'seq 7');
    await sleep(30);
    assert.deepEqual(server.logins.map((l) => l.token), ['tok1', 'tok2']);
    assert.deepEqual(seen, ['sync:read:2', 'sync:new:3', 'sync:new:4', 'sync:claimed:5', 'sync:deleted:6', 'push:read:7']);
    assert.deepEqual(server.syncs.map((x) => x.since), [1, 3, 5]);
    assert.deepEqual(events, ['disconnected', 'reconnecting', 'connected', 'synced']);
    await c.close();
  });

  it('emits resync when the epoch changed, and takes the new seq and epoch', async () => {
    const server = new FeedServer();
    const c = await fakeClient(server).connect();
    server.change('new');
    await until(() => c.seq === 1, 1000, 'seq 1');
    server.current.drop();
    server.epoch = 'e2'; // e.g. a restored database
    server.seq = 40;
    const r = await nextEvent(c, 'resync', 2000);
    assert.deepEqual(r, { reason: 'epoch', seq: 40, epoch: 'e2' });
    assert.equal(c.seq, 40);
    assert.equal(c.epoch, 'e2');
    await c.close();
  });

  it('emits resync (no-feed) after a reconnect to a server without the change feed', async () => {
    const server = new FeedServer({ feed: false });
    const c = await fakeClient(server).connect();
    assert.equal(c.seq, undefined);
    server.current.drop();
    const r = await nextEvent(c, 'resync', 2000);
    assert.equal(r.reason, 'no-feed');
    assert.deepEqual(server.syncs, []);
    await c.close();
  });

  it('does not come back after LOGIN_ELSEWHERE or ADMIN, and does after SHUTDOWN', async () => {
    for (const [reason, back] of [['LOGIN_ELSEWHERE', false], ['ADMIN', false], ['SHUTDOWN', true]]) {
      const server = new FeedServer();
      const c = await fakeClient(server).connect();
      const kicked = nextEvent(c, 'kicked', 1000);
      const gone = nextEvent(c, 'disconnected', 1000);
      server.current.push('session.kicked', { reason });
      server.current.close(1000, '');
      assert.deepEqual(await kicked, { reason });
      const d = await gone;
      assert.equal(d.kicked, reason);
      assert.equal(d.willReconnect, back, reason);
      await sleep(80);
      assert.equal(server.logins.length, back ? 2 : 1, reason);
      assert.equal(c.state, back ? 'open' : 'closed', reason);
      await c.close();
    }
  });

  it('lets requests made while reconnecting wait for the login, and fails in-flight ones with DISCONNECTED', async () => {
    const server = new FeedServer();
    const Ws = fakeWebSocket(server);
    server.handler = (_s, f) => (f.op === 'x.hold' ? Ws.NO_REPLY : { unread: 3 });
    const c = await new Client({ url: 'ws://fake/ws', token: 't', WebSocket: Ws, heartbeatMs: 0,
      reconnect: { minDelayMs: 60, maxDelayMs: 60 } }).connect();
    const held = c.request('x.hold');
    server.current.drop();
    await assert.rejects(held, (e) => e.code === 'DISCONNECTED');
    assert.equal(c.state, 'reconnecting');
    const r = await c.mail.unread();
    assert.equal(r.unread, 3);
    assert.equal(server.logins.length, 2);
    await c.close();
  });

  it('gives up after maxAttempts, and keeps a static token that was refused from retrying', async () => {
    const server = new FeedServer();
    const c = await fakeClient(server, { reconnect: { minDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } }).connect();
    server.refuse = true;
    server.current.drop();
    await until(() => c.state === 'closed', 2000, 'closed');
    assert.equal(server.sockets.length, 4);

    const s2 = new FeedServer();
    const c2 = await fakeClient(s2).connect();
    s2.handle = ((base) => (s, f) => (f.op === 'auth.login' ? Promise.reject({ code: 'AUTH_EXPIRED', message: 'expired' }) : base(s, f)))(s2.handle.bind(s2));
    const err = nextEvent(c2, 'error', 1000);
    s2.current.drop();
    assert.equal((await err).code, 'AUTH_EXPIRED');
    await until(() => c2.state === 'closed', 1000, 'closed after a refused static token');
  });

  it('connect() resolves with a client whose state is open, and close() ends everything', async () => {
    const server = new FeedServer();
    const c = await connect({ url: 'ws://fake/ws', token: 't', WebSocket: fakeWebSocket(server), heartbeatMs: 10 });
    assert.equal(c.state, 'open');
    assert.equal(c.uid, 42);
    assert.equal(c.sessionId, 's1');
    const d = nextEvent(c, 'disconnected', 500);
    await c.close();
    assert.equal((await d).willReconnect, false);
    assert.equal(c.state, 'closed');
    await c.close(); // twice is fine
  });
});
