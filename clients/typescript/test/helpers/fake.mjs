// An in-process stand-in for a Ravenpost server behind a WebSocket, for tests that need no node:
// a WebSocket class whose sockets hand every request to a scripted server, and a small model of
// PROTOCOL.md's change feed (seq per change, mail.sync pages, resync on a wrong epoch).
import { decode, encode } from '@msgpack/msgpack';

/**
 * A WebSocket class bound to `server`: `server.handle(socket, frame)` answers requests (return a
 * reply body, throw `{code, message}` for an error reply, or return `FakeWs.NO_REPLY`).
 */
export function fakeWebSocket(server) {
  return class FakeSocket {
    static NO_REPLY = Symbol('no reply');

    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.binaryType = 'blob';
      this.sent = [];
      this.onopen = this.onmessage = this.onclose = this.onerror = null;
      server.sockets.push(this);
      setTimeout(() => {
        if (server.refuse) {
          this.readyState = 3;
          this.onerror?.({});
          this.onclose?.({ code: 1006, reason: '' });
          return;
        }
        this.readyState = 1;
        this.onopen?.({});
      }, 1);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('not open');
      const binary = typeof data !== 'string';
      const frame = binary ? decode(data) : JSON.parse(data);
      this.sent.push(frame);
      this.binary = binary;
      setTimeout(() => this.serve(frame), server.latencyMs ?? 0);
    }

    async serve(frame) {
      let reply;
      try {
        const body = await server.handle(this, frame);
        if (body === FakeSocket.NO_REPLY) return;
        reply = { id: frame.id, ok: true, body: body ?? {} };
      } catch (e) {
        reply = { id: frame.id, ok: false, error: { code: e.code ?? 'INTERNAL', message: e.message ?? 'failed' } };
      }
      this.deliver(reply);
    }

    /** Sends a frame to the client in the encoding the client last used. */
    deliver(frame) {
      if (this.readyState !== 1) return;
      const data = this.binary ? toArrayBuffer(encode(frame)) : JSON.stringify(frame);
      this.onmessage?.({ data });
    }

    push(op, body) {
      this.deliver({ op, body });
    }

    close(code = 1000, reason = '') {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ code, reason }), 1);
    }

    /** The link dies: no close frame, code 1006. */
    drop() {
      if (this.readyState >= 2) return;
      this.readyState = 3;
      this.onclose?.({ code: 1006, reason: '' });
    }
  };
}

function toArrayBuffer(u8) {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
}

/**
 * A server holding one mailbox with a change feed. `change(type, mailId)` records a change
 * (and pushes it to the open session unless `silent`). Sync pages hold `pageSize` changes.
 */
export class FeedServer {
  constructor({ pageSize = 2, feed = true } = {}) {
    this.sockets = [];
    this.feed = feed;
    this.pageSize = pageSize;
    this.epoch = 'e1';
    this.changes = [];
    this.seq = 0;
    this.oldestKept = 1;
    this.nextMailId = 100;
    this.logins = [];
    this.syncs = [];
    this.current = null;
  }

  get ops() {
    return this.sockets.flatMap((s) => s.sent.map((f) => f.op));
  }

  handle(socket, frame) {
    const body = frame.body ?? {};
    switch (frame.op) {
      case 'auth.login': {
        if (body.token === 'bad') throw { code: 'AUTH_INVALID', message: 'bad token' };
        this.logins.push({ token: body.token, locale: body.locale });
        this.current = socket;
        const r = { uid: 42, sessionId: `s${this.logins.length}`, serverTime: Date.now(), unread: 0 };
        if (this.feed) Object.assign(r, { seq: this.seq, epoch: this.epoch });
        return r;
      }
      case 'heartbeat':
        return { serverTime: Date.now(), unread: 0, newMail: false };
      case 'mail.sync': {
        if (!this.feed) throw { code: 'UNKNOWN_OP', message: 'unknown op mail.sync' };
        this.syncs.push({ since: body.since, epoch: body.epoch });
        if (body.epoch !== this.epoch || body.since < this.oldestKept - 1) {
          return { resync: true, seq: this.seq, epoch: this.epoch };
        }
        const after = this.changes.filter((c) => c.seq > body.since);
        const page = after.slice(0, this.pageSize);
        return { changes: page, seq: page.length ? page[page.length - 1].seq : body.since, epoch: this.epoch, more: after.length > page.length };
      }
      default:
        if (this.handler) return this.handler(socket, frame);
        throw { code: 'UNKNOWN_OP', message: `unknown op ${frame.op}` };
    }
  }

  /** Records a change; pushes it to the logged-in socket unless `silent` (e.g. the session's own op, or while it is away). */
  change(type, mailId, { silent = false } = {}) {
    const seq = ++this.seq;
    const c = { seq, type, mailId: mailId ?? this.nextMailId++ };
    if (type === 'new') c.mail = { mailId: c.mailId, title: `mail ${c.mailId}`, read: false, claimed: false };
    this.changes.push(c);
    const s = this.current;
    if (!silent && s && s.readyState === 1) {
      if (type === 'new') s.push('mail.new', { mail: c.mail, unread: 1, seq });
      else s.push('mail.changed', { change: c, unread: 0 });
    }
    return c;
  }
}
