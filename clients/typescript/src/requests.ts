import { RavenpostError, serverError, toError, type ErrorCode } from './errors.js';
import type { RequestFrame, ServerFrame } from './types.js';

/** Where request frames go out (the transport). */
export interface Link {
  isOpen(): boolean;
  send(frame: RequestFrame): void;
}

interface Pending {
  id: number;
  op: string;
  body: Record<string, unknown>;
  resolve: (body: any) => void;
  reject: (e: RavenpostError) => void;
  timer: ReturnType<typeof setTimeout>;
  sent: boolean;
}

/**
 * Request ids and the replies they wait for: each request gets an id, a timeout, and the reply
 * frame that carries its id. Requests made before login wait in a queue until it is sent.
 */
export class Requests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests made while (re)connecting, sent once logged in. */
  private waiting: Pending[] = [];

  constructor(private readonly link: Link) {}

  /** Sends the request now (`now`), or queues it until {@link sendWaiting}; the timeout runs from here either way. */
  request<T>(op: string, body: Record<string, unknown>, timeoutMs: number, now: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const p = this.newPending(op, body, resolve, reject, timeoutMs);
      if (now) {
        this.transmit(p);
      } else {
        this.waiting.push(p);
      }
    });
  }

  /** Sends what was queued while (re)connecting. */
  sendWaiting(): void {
    const queued = this.waiting;
    this.waiting = [];
    for (const p of queued) this.transmit(p);
  }

  /** Fails every request sent and awaiting its reply. */
  failPending(code: ErrorCode, message: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError(code, `${p.op}: ${message}`, { op: p.op }));
    }
  }

  /** Fails every request, sent or queued, with CLOSED. */
  failAll(): void {
    this.failPending('CLOSED', 'the client is closed');
    const queued = this.waiting;
    this.waiting = [];
    for (const p of queued) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError('CLOSED', `${p.op}: the client is closed`, { op: p.op }));
    }
  }

  /** Settles the request a reply frame answers. */
  onReply(f: ServerFrame): void {
    const id = typeof f.id === 'number' ? f.id : Number(f.id);
    const p = this.pending.get(id);
    if (!p) return; // answered after its timeout
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (f.ok === true) {
      p.resolve(f.body ?? {});
    } else {
      p.reject(serverError(f.error ?? { code: 'INTERNAL', message: 'error reply without error' }, p.op));
    }
  }

  private newPending(
    op: string,
    body: Record<string, unknown>,
    resolve: (body: any) => void,
    reject: (e: RavenpostError) => void,
    timeoutMs: number,
  ): Pending {
    const id = this.nextId++;
    const p: Pending = {
      id,
      op,
      body,
      resolve,
      reject,
      sent: false,
      timer: setTimeout(() => {
        this.pending.delete(id);
        this.waiting = this.waiting.filter((w) => w !== p);
        reject(new RavenpostError('TIMEOUT', `${op}: no reply within ${timeoutMs} ms`, { op }));
      }, timeoutMs),
    };
    return p;
  }

  private transmit(p: Pending): void {
    if (!this.link.isOpen()) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError('DISCONNECTED', `${p.op}: not connected`, { op: p.op }));
      return;
    }
    this.pending.set(p.id, p);
    p.sent = true;
    try {
      this.link.send({ id: p.id, op: p.op, body: p.body });
    } catch (e) {
      this.pending.delete(p.id);
      clearTimeout(p.timer);
      p.reject(new RavenpostError('DISCONNECTED', `${p.op}: ${toError(e).message}`, { op: p.op }));
    }
  }
}
