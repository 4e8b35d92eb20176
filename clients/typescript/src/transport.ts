import { decodeFrame, encodeFrame } from './codec.js';
import { RavenpostError, serverError, toError } from './errors.js';
import type { WebSocketConstructor, WebSocketLike } from './options.js';
import type { Encoding, RequestFrame, ServerFrame } from './types.js';

/** `WebSocket.OPEN`; a `readyState` at or below it is a socket still connecting or open. */
export const OPEN = 1;

/** What the transport tells the rest of the client. */
export interface TransportHooks {
  /** A frame with an id: the reply to a request. */
  onReply(f: ServerFrame): void;
  /** A frame with an op and no id: a push. */
  onPush(op: string, body: unknown): void;
  /** A frame that could not be decoded, or an error that answers no request. */
  onError(e: Error): void;
  /** The current socket, once open, closed (or was given up on with {@link Transport.abandon}). */
  onClosed(code: number, reason: string): void;
}

/** One WebSocket at a time: opening it, frames in and out, and closing it. */
export class Transport {
  private _socket: WebSocketLike | null = null;
  /** Incremented per socket: events of an older socket are ignored. */
  private generation = 0;
  private closeWaiters: Array<() => void> = [];

  constructor(
    private readonly Ctor: WebSocketConstructor,
    private readonly url: string,
    private readonly encoding: Encoding,
    private readonly connectTimeoutMs: number,
    private readonly hooks: TransportHooks,
  ) {}

  /** The current socket; null between connections. */
  get socket(): WebSocketLike | null {
    return this._socket;
  }

  /** Whether a frame can be sent now. */
  isOpen(): boolean {
    return this._socket !== null && this._socket.readyState === OPEN;
  }

  /** Encodes and sends one frame on the current socket (call {@link isOpen} first); throws if sending fails. */
  send(frame: RequestFrame): void {
    (this._socket as WebSocketLike).send(encodeFrame(frame, this.encoding));
  }

  /** Opens a new socket; resolves once it is open, rejects with DISCONNECTED if it closes or times out first. */
  open(): Promise<WebSocketLike> {
    return new Promise<WebSocketLike>((resolve, reject) => {
      const gen = ++this.generation;
      let socket: WebSocketLike;
      try {
        socket = new this.Ctor(this.url);
      } catch (e) {
        reject(new RavenpostError('DISCONNECTED', `cannot open ${this.url}: ${toError(e).message}`));
        return;
      }
      this._socket = socket;
      socket.binaryType = 'arraybuffer';
      const timer = setTimeout(() => {
        socket.onclose = null;
        try {
          socket.close();
        } catch {
          // closing a socket that never opened may throw in some implementations
        }
        if (this._socket === socket) this._socket = null;
        reject(new RavenpostError('DISCONNECTED', `connecting to ${this.url} took over ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      socket.onerror = () => {
        // a close event follows with the code
      };
      socket.onclose = (ev: { code?: number; reason?: string }) => {
        clearTimeout(timer);
        if (this._socket === socket) this._socket = null;
        this.notifyCloseWaiters();
        reject(new RavenpostError('DISCONNECTED', `cannot connect to ${this.url} (close ${ev?.code ?? '?'}${ev?.reason ? ': ' + ev.reason : ''})`));
      };
      socket.onopen = () => {
        clearTimeout(timer);
        socket.onmessage = (ev: { data: unknown }) => {
          if (gen === this.generation) this.onMessage(ev.data);
        };
        socket.onclose = (ev: { code?: number; reason?: string }) => {
          this.notifyCloseWaiters();
          if (gen === this.generation) this.closed(socket, ev?.code ?? 1006, ev?.reason ?? '');
        };
        resolve(socket);
      };
    });
  }

  /** Closes the current socket, if still connecting or open, and keeps it current until its close event comes. */
  closeCurrent(code: number, reason: string): void {
    const socket = this._socket;
    if (socket && socket.readyState <= OPEN) {
      try {
        socket.close(code, reason);
      } catch {
        // closing
      }
    }
  }

  /** Gives up on a socket at once: closes it, reports it closed now, and ignores its own close event. */
  abandon(socket: WebSocketLike, code: number, reason: string): void {
    try {
      socket.close(code, reason);
    } catch {
      // closing
    }
    this.closed(socket, code, reason);
    this.generation++;
  }

  /** Closes a socket whose login failed; its close event is then ignored. */
  drop(socket: WebSocketLike): void {
    if (this._socket === socket) {
      this._socket = null;
      this.generation++;
    }
    if (socket.readyState <= OPEN) {
      try {
        socket.close(1000, 'login failed');
      } catch {
        // already closing
      }
    }
  }

  /** Lets go of the current socket for good (its events are ignored from now on) and closes it. */
  detach(): void {
    const socket = this._socket;
    this._socket = null;
    this.generation++;
    if (socket && socket.readyState <= OPEN) {
      try {
        socket.close(1000, 'closed by the client');
      } catch {
        // already closing
      }
    }
  }

  /** Resolves when `socket` has closed, or after a second at most. */
  whenClosed(socket: WebSocketLike | null): Promise<void> {
    if (!socket || socket.readyState > OPEN) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private closed(socket: WebSocketLike, code: number, reason: string): void {
    if (this._socket === socket) this._socket = null;
    this.hooks.onClosed(code, reason);
  }

  private notifyCloseWaiters(): void {
    const ws = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of ws) w();
  }

  private onMessage(data: unknown): void {
    let f: ServerFrame;
    try {
      f = decodeFrame(data);
    } catch (e) {
      this.hooks.onError(new RavenpostError('BAD_REQUEST', `undecodable frame from the server: ${toError(e).message}`));
      return;
    }
    if (f.id !== undefined && f.id !== null) {
      this.hooks.onReply(f);
    } else if (typeof f.op === 'string') {
      this.hooks.onPush(f.op, f.body);
    } else if (f.ok === false && f.error) {
      // An error that answers no request: a frame the server could not read, or a flood warning.
      this.hooks.onError(serverError(f.error, undefined));
    }
  }
}
