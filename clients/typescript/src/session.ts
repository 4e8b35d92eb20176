import { RavenpostError, toError } from './errors.js';
import type { ClientState, Emit } from './events.js';
import { ChangeFeed } from './feed.js';
import { Heartbeat } from './heartbeat.js';
import type { Settings } from './options.js';
import { Reconnector } from './reconnect.js';
import { Requests } from './requests.js';
import { Transport } from './transport.js';
import type { KickReason, KickedPush, LoginReply, MailChangedPush, MailNewPush } from './types.js';

/**
 * A client's life from `connect()` to the end: its state, the login on each connection, and what
 * the server told about the player. Wires the transport, requests, heartbeat, change feed and
 * reconnect loop together; {@link Client} is its public face.
 */
export class Session {
  private _state: ClientState = 'idle';
  private _unread: number | undefined;
  private _uid: number | undefined;
  private _sessionId: string | undefined;
  private kickReason: KickReason | undefined;

  private readonly transport: Transport;
  private readonly requests: Requests;
  private readonly heartbeats: Heartbeat;
  readonly feed: ChangeFeed;
  private readonly reconnector: Reconnector;

  /** `beat` sends one heartbeat (the client's `heartbeat()`, so that a subclass's `request` sees it too). */
  constructor(
    private readonly settings: Settings,
    private readonly emit: Emit,
    beat: () => Promise<unknown>,
  ) {
    const { opts } = settings;
    this.transport = new Transport(settings.Ctor, opts.url, settings.encoding, settings.connectTimeoutMs, {
      onReply: (f) => this.requests.onReply(f),
      onPush: (op, body) => this.onPush(op, body),
      onError: (e) => this.emit('error', e),
      onClosed: (code, reason) => this.onSocketClosed(code, reason),
    });
    this.requests = new Requests(this.transport);
    const current = () => this.transport.socket;
    const isOpen = () => this._state === 'open';
    this.heartbeats = new Heartbeat(settings.heartbeatMs, {
      isOpen,
      socket: current,
      beat,
      unanswered: (socket) => {
        this.emit('error', new RavenpostError('TIMEOUT', 'heartbeat unanswered; reconnecting'));
        this.transport.abandon(socket, 4000, 'heartbeat timeout');
      },
    });
    this.feed = new ChangeFeed({
      isOpen,
      socket: current,
      send: (op, body) => this.requests.request(op, body, settings.requestTimeoutMs, true),
      setUnread: (unread) => this.setUnread(unread),
      emit,
    });
    this.reconnector = new Reconnector(settings.reconnect, {
      state: () => this._state,
      setReconnecting: () => {
        this._state = 'reconnecting';
      },
      establish: () => this.establish(true),
      finish: () => this.finish(),
      hasTokenProvider: () => Boolean(opts.tokenProvider),
      emit,
    });
  }

  get state(): ClientState {
    return this._state;
  }

  get unread(): number | undefined {
    return this._unread;
  }

  get uid(): number | undefined {
    return this._uid;
  }

  get sessionId(): string | undefined {
    return this._sessionId;
  }

  setUnread(unread: number): void {
    this._unread = unread;
  }

  /** Opens the socket and logs in; resolves with `result` once logged in. Rejects if the first attempt fails. */
  async connect<T>(result: T): Promise<T> {
    if (this._state !== 'idle') {
      throw new RavenpostError('CLOSED', `connect: the client is ${this._state}, not idle`);
    }
    this._state = 'connecting';
    try {
      await this.establish(false);
    } catch (e) {
      const err = toError(e);
      if (!this.isClosed()) {
        this.finish();
      }
      throw err;
    }
    return result;
  }

  close(): Promise<void> {
    if (this._state === 'closed') {
      return Promise.resolve();
    }
    const wasOpen = this._state === 'open';
    const socket = this.transport.socket;
    this.finish();
    if (wasOpen) {
      this.emit('disconnected', { code: 1000, reason: 'closed by the client', willReconnect: false });
    }
    return this.transport.whenClosed(socket);
  }

  /** Sends now when logged in, or once logged in while (re)connecting; fails with CLOSED before `connect()` and after the end. */
  request<T>(op: string, body: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    if (this._state === 'closed' || this._state === 'idle') {
      return Promise.reject(
        new RavenpostError('CLOSED', `${op}: the client is ${this._state === 'idle' ? 'not connected yet' : 'closed'}`, { op }),
      );
    }
    return this.requests.request<T>(op, stripUndefined(body), timeoutMs ?? this.settings.requestTimeoutMs, this._state === 'open');
  }

  /** One attempt: token, socket, login, then (after a reconnect) catching up. */
  private async establish(reconnected: boolean): Promise<void> {
    this.kickReason = undefined;
    const socket = await this.transport.open();
    if (this._state === 'closed') {
      socket.close(1000, 'closed by the client');
      throw new RavenpostError('CLOSED', 'the client was closed while connecting');
    }
    // The token is asked for once the socket is open, so attempts that cannot reach the server
    // cost no token. (The server closes a connection that does not log in within a few seconds.)
    let token: string;
    try {
      token = await this.getToken();
      this.checkNotClosed();
    } catch (e) {
      this.transport.drop(socket);
      throw e;
    }
    const catchUp = this.feed.beginLogin(reconnected);
    let login: LoginReply;
    try {
      const body: Record<string, unknown> = { token };
      if (this.settings.opts.locale !== undefined) body.locale = this.settings.opts.locale;
      login = await this.requests.request<LoginReply>('auth.login', body, this.settings.requestTimeoutMs, true);
    } catch (e) {
      this.feed.clear();
      this.transport.drop(socket);
      throw e;
    }
    if (this.isClosed()) {
      this.feed.clear();
      throw new RavenpostError('CLOSED', 'the client was closed while logging in');
    }
    this._state = 'open';
    this.reconnector.reset();
    this._uid = login.uid;
    this._sessionId = login.sessionId;
    if (typeof login.unread === 'number') this._unread = login.unread;
    this.feed.loggedIn(login, reconnected);
    this.heartbeats.start();
    this.emit('connected', { ...login, reconnected });
    this.requests.sendWaiting();
    if (catchUp) {
      void this.feed.runSync();
    } else if (reconnected) {
      // Without a feed nothing says what changed while the client was away.
      this.emit('resync', { reason: 'no-feed', seq: this.feed.seq, epoch: this.feed.epoch });
    }
  }

  private async getToken(): Promise<string> {
    const { opts } = this.settings;
    if (opts.tokenProvider) {
      const t = await opts.tokenProvider();
      if (typeof t !== 'string' || t === '') {
        throw new RavenpostError('AUTH_INVALID', 'tokenProvider returned no token');
      }
      return t;
    }
    return opts.token as string;
  }

  private onSocketClosed(code: number, reason: string): void {
    this.heartbeats.stop();
    this.requests.failPending('DISCONNECTED', `the connection closed (${code}${reason ? ': ' + reason : ''}) before the reply`);
    if (this._state !== 'open') {
      // A close during login fails the login request; the attempt in progress handles the rest.
      return;
    }
    this.reconnector.dropped(code, reason, this.kickReason);
  }

  /** Ends the client: no more reconnects or heartbeats; everything pending fails with CLOSED. */
  private finish(): void {
    this._state = 'closed';
    this.feed.clear();
    this.reconnector.cancel();
    this.heartbeats.stop();
    this.requests.failAll();
    this.transport.detach();
  }

  private onPush(op: string, body: unknown): void {
    const b = (body ?? {}) as Record<string, unknown>;
    this.emit('push', { op, body });
    switch (op) {
      case 'mail.new': {
        const push = b as unknown as MailNewPush;
        const emit = () => {
          if (typeof push.unread === 'number') this._unread = push.unread;
          this.emit('mail.new', push);
        };
        this.feed.onChange(typeof push.seq === 'number' ? push.seq : undefined, push.unread, emit);
        break;
      }
      case 'mail.changed': {
        const push = b as unknown as MailChangedPush;
        const seq = push.change && typeof push.change.seq === 'number' ? push.change.seq : undefined;
        this.feed.onChange(seq, push.unread, () => {
          if (typeof push.unread === 'number') this._unread = push.unread;
          this.emit('mail.changed', { ...push, source: 'push' });
        });
        break;
      }
      case 'session.kicked': {
        const push = b as unknown as KickedPush;
        this.kickReason = push.reason;
        this.emit('kicked', push);
        // The server closes the connection next; closing from this side too makes the end certain.
        this.transport.closeCurrent(1000, 'kicked');
        break;
      }
      default:
        break;
    }
  }

  /** Reads the state afresh (after an await it may have changed, whatever the compiler narrowed it to). */
  private isClosed(): boolean {
    return this._state === 'closed';
  }

  private checkNotClosed(): void {
    if (this._state === 'closed') {
      throw new RavenpostError('CLOSED', 'the client was closed while connecting');
    }
  }
}

function stripUndefined(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}
