import { backoffDelay, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { decodeFrame, encodeFrame } from './codec.js';
import { Emitter } from './emitter.js';
import { RavenpostError, type ErrorCode } from './errors.js';
import type {
  ClaimAllReply,
  ClaimReply,
  Encoding,
  HeartbeatReply,
  KickReason,
  KickedPush,
  ListParams,
  ListReply,
  MailChange,
  LoginReply,
  MailChangedPush,
  MailNewPush,
  OpenReply,
  SendParams,
  SendReply,
  ServerFrame,
  SyncParams,
  SyncReply,
  UnreadReply,
  WatchParams,
  WatchReply,
} from './types.js';

/**
 * The part of the standard WebSocket this client uses. The browser's `WebSocket`, Node's
 * (`--experimental-websocket`, or global from Node 22) and the `ws` package all fit.
 */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: any): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ReconnectOptions extends BackoffOptions {
  /** Set false to never reconnect: an unexpected close then ends the client (default true). */
  enabled?: boolean;
  /** Give up after this many failed attempts in a row (default: never give up). */
  maxAttempts?: number;
  /**
   * Kick reasons after which the client does not come back (default `['LOGIN_ELSEWHERE',
   * 'ADMIN']`: another device took over, or an operator removed the player). Other reasons, such
   * as `SHUTDOWN` (the node is stopping), are followed by a reconnect.
   */
  stopOn?: KickReason[];
}

export interface ConnectOptions {
  /** The node's WebSocket endpoint, e.g. `wss://mail.example.com/ws`. */
  url: string;
  /** A player token (HS256/RS256/ES256 JWT issued by the game's account service). */
  token?: string;
  /**
   * Called for a fresh token before each login, the first and every reconnect, once the socket is
   * open (keep it quick: the server closes a connection that has not logged in within seconds).
   * Takes precedence over `token`.
   */
  tokenProvider?: () => string | Promise<string>;
  /** BCP 47 tag (`de`, `pt-BR`) the mail should be shown in; overrides the token's `locale`. */
  locale?: string;
  /** `json` sends text frames, `msgpack` binary ones (default `json`). */
  encoding?: Encoding;
  /** The WebSocket class to use; defaults to `globalThis.WebSocket`. In Node 20 pass the `ws` package's. */
  WebSocket?: WebSocketConstructor;
  /** Interval of heartbeats (default 25 s; the server closes a connection silent for 90 s). 0 turns them off. */
  heartbeatMs?: number;
  /** How long a request waits for its reply, including time spent waiting for a reconnect (default 10 s). */
  requestTimeoutMs?: number;
  /** How long opening the socket may take (default 10 s). */
  connectTimeoutMs?: number;
  /** Reconnect behaviour; `false` turns reconnecting off. */
  reconnect?: ReconnectOptions | false;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectedEvent extends LoginReply {
  /** True for a login after a reconnect. */
  reconnected: boolean;
}

export interface DisconnectedEvent {
  /** The WebSocket close code (1006 when the link dropped without a close frame). */
  code: number;
  reason: string;
  /** The reason of the `session.kicked` push that came before the close, if one did. */
  kicked?: KickReason;
  /** Whether the client will try to log in again. */
  willReconnect: boolean;
}

export interface ReconnectingEvent {
  /** 1 for the first attempt after a drop. */
  attempt: number;
  delayMs: number;
}

export interface MailChangedEvent extends MailChangedPush {
  /** `push`: a `mail.changed` push; `sync`: a change `mail.sync` returned while catching up. */
  source: 'push' | 'sync';
}

export interface ResyncEvent {
  /**
   * `epoch`: the server answered `{resync: true}` (the feed's epoch changed, or the client was
   * away longer than the changes kept); `no-feed`: the server has no change feed, so what
   * happened while the client was away is unknown; `sync-failed`: catching up failed.
   */
  reason: 'epoch' | 'no-feed' | 'sync-failed';
  seq?: number;
  epoch?: string;
}

export interface SyncedEvent {
  seq: number;
  epoch: string;
  /** How many changes the catch-up applied. */
  changes: number;
}

export interface ClientEvents {
  /** Logged in: once before `connect()` resolves, then after every reconnect. */
  connected: (e: ConnectedEvent) => void;
  /** The connection closed. */
  disconnected: (e: DisconnectedEvent) => void;
  /** A reconnect attempt is scheduled. */
  reconnecting: (e: ReconnectingEvent) => void;
  /** The server is about to close the connection (`session.kicked`). */
  kicked: (e: KickedPush) => void;
  /** New mail arrived (`mail.new` push). */
  'mail.new': (e: MailNewPush) => void;
  /** A mail changed without this session asking: a `mail.changed` push, or a change replayed by a catch-up. */
  'mail.changed': (e: MailChangedEvent) => void;
  /** The client cannot tell what it missed: reload the mailbox with `mail.list`. */
  resync: (e: ResyncEvent) => void;
  /** A catch-up with `mail.sync` finished; every change it returned was emitted as `mail.changed`. */
  synced: (e: SyncedEvent) => void;
  /** Every push, including ones this version of the client does not know. */
  push: (e: { op: string; body: unknown }) => void;
  /** A failure not tied to a request of yours (a failed reconnect, a bad frame, a throwing listener). */
  error: (e: Error) => void;
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

interface Buffered {
  seq: number;
  /** The unread count the push carried. */
  unread: number | undefined;
  apply: () => void;
}

const DEFAULT_HEARTBEAT_MS = 25_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** What the server holds a `presence.watch` without `waitMs` for. */
const DEFAULT_WATCH_WAIT_MS = 30_000;
/** Catch-ups in a row that may end with a gap still open before the client gives up and resyncs. */
const MAX_STALLED_SYNCS = 3;
const STALLED_SYNC_PAUSE_MS = 500;
const OPEN = 1;

/**
 * A player's connection to Ravenpost. Create it with {@link connect} (or `new Client(opts)` then
 * `client.connect()` to attach listeners before the first login).
 */
export class Client extends Emitter<ClientEvents> {
  readonly mail: {
    list(params?: ListParams): Promise<ListReply>;
    open(mailId: number | string): Promise<OpenReply>;
    claim(mailId: number | string): Promise<ClaimReply>;
    claimAll(): Promise<ClaimAllReply>;
    delete(mailId: number | string): Promise<Record<string, never>>;
    send(params: SendParams): Promise<SendReply>;
    unread(): Promise<UnreadReply>;
    sync(params: SyncParams): Promise<SyncReply>;
  };

  readonly presence: {
    watch(params: WatchParams): Promise<WatchReply>;
  };

  private readonly opts: ConnectOptions;
  private readonly Ctor: WebSocketConstructor;
  private readonly encoding: Encoding;
  private readonly heartbeatMs: number;
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly reconnectOpts: ReconnectOptions & { enabled: boolean; stopOn: KickReason[] };

  private _state: ClientState = 'idle';
  private socket: WebSocketLike | null = null;
  /** Incremented per socket: events of an older socket are ignored. */
  private generation = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests made while (re)connecting, sent once logged in. */
  private waiting: Pending[] = [];
  private kickReason: KickReason | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private heartbeatInFlight = false;
  private closeWaiters: Array<() => void> = [];

  private _seq: number | undefined;
  private _epoch: string | undefined;
  private _unread: number | undefined;
  private _uid: number | undefined;
  private _sessionId: string | undefined;
  private syncing = false;
  private buffered: Buffered[] = [];
  private stalledSyncs = 0;

  constructor(opts: ConnectOptions) {
    super();
    if (!opts || typeof opts.url !== 'string' || opts.url === '') {
      throw new TypeError('connect: url is required');
    }
    if (opts.token === undefined && opts.tokenProvider === undefined) {
      throw new TypeError('connect: token or tokenProvider is required');
    }
    const Ctor = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof Ctor !== 'function') {
      throw new TypeError(
        'connect: no WebSocket here: pass one as `WebSocket` (in Node 20, the `ws` package, ' +
          'or run node with --experimental-websocket)',
      );
    }
    this.opts = opts;
    this.Ctor = Ctor;
    this.encoding = opts.encoding ?? 'json';
    if (this.encoding !== 'json' && this.encoding !== 'msgpack') {
      throw new TypeError(`connect: encoding must be 'json' or 'msgpack', not ${String(this.encoding)}`);
    }
    this.heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const r = opts.reconnect === false ? { enabled: false } : (opts.reconnect ?? {});
    this.reconnectOpts = {
      ...DEFAULT_BACKOFF,
      ...r,
      enabled: r.enabled ?? true,
      stopOn: r.stopOn ?? ['LOGIN_ELSEWHERE', 'ADMIN'],
    };

    this.mail = {
      list: (p = {}) => this.request('mail.list', { cursor: p.cursor ?? undefined, limit: p.limit }),
      open: (mailId) => this.request('mail.open', { mailId }),
      claim: (mailId) => this.request('mail.claim', { mailId }),
      claimAll: () => this.request('mail.claimAll', {}),
      delete: (mailId) => this.request('mail.delete', { mailId }),
      send: (p) =>
        this.request('mail.send', { to: p.to, title: p.title, body: p.body, clientMsgId: p.clientMsgId }),
      unread: () =>
        this.request<UnreadReply>('mail.unread', {}).then((r) => {
          this._unread = r.unread;
          return r;
        }),
      sync: (p) => this.request('mail.sync', { since: p.since, epoch: p.epoch }),
    };
    this.presence = {
      watch: (p) =>
        this.request(
          'presence.watch',
          { uids: p.uids, known: p.known, waitMs: p.waitMs },
          { timeoutMs: (p.waitMs ?? DEFAULT_WATCH_WAIT_MS) + this.requestTimeoutMs },
        ),
    };
  }

  /** `idle` before `connect()`, `open` while logged in, `reconnecting` between, `closed` at the end. */
  get state(): ClientState {
    return this._state;
  }

  /** The last change of the feed this client applied (from the login reply, pushes and catch-ups); undefined without a feed. */
  get seq(): number | undefined {
    return this._seq;
  }

  /** The change feed's epoch the client's `seq` belongs to; undefined without a feed. */
  get epoch(): string | undefined {
    return this._epoch;
  }

  /** The unread count the server last told (login, heartbeats, pushes, `mail.unread`). */
  get unread(): number | undefined {
    return this._unread;
  }

  get uid(): number | undefined {
    return this._uid;
  }

  get sessionId(): string | undefined {
    return this._sessionId;
  }

  /** Opens the socket and logs in; resolves with this client once logged in. Rejects if the first attempt fails. */
  async connect(): Promise<this> {
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
    return this;
  }

  /** Stops heartbeats and reconnects, fails what is pending with `CLOSED`, and closes the socket. */
  close(): Promise<void> {
    if (this._state === 'closed') {
      return Promise.resolve();
    }
    const wasOpen = this._state === 'open';
    const socket = this.socket;
    this.finish();
    if (wasOpen) {
      this.emit('disconnected', { code: 1000, reason: 'closed by the client', willReconnect: false });
    }
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

  /** Sends a heartbeat now; the client also sends one every `heartbeatMs`. */
  heartbeat(): Promise<HeartbeatReply> {
    return this.request<HeartbeatReply>('heartbeat', {}).then((r) => {
      if (typeof r.unread === 'number') this._unread = r.unread;
      return r;
    });
  }

  /**
   * Sends any op and resolves with its reply body (for ops newer than this client). Rejects with
   * a {@link RavenpostError}. While the client is reconnecting the request waits for the login.
   */
  request<T = Record<string, unknown>>(
    op: string,
    body: Record<string, unknown> = {},
    options: { timeoutMs?: number } = {},
  ): Promise<T> {
    if (this._state === 'closed' || this._state === 'idle') {
      return Promise.reject(
        new RavenpostError('CLOSED', `${op}: the client is ${this._state === 'idle' ? 'not connected yet' : 'closed'}`, { op }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const p = this.newPending(op, stripUndefined(body), resolve, reject, options.timeoutMs ?? this.requestTimeoutMs);
      if (this._state === 'open') {
        this.transmit(p);
      } else {
        this.waiting.push(p);
      }
    });
  }

  // ---- connection ----

  /** One attempt: token, socket, login, then (after a reconnect) catching up. */
  private async establish(reconnected: boolean): Promise<void> {
    this.kickReason = undefined;
    const socket = await this.openSocket();
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
      this.dropSocket(socket);
      throw e;
    }
    // Pushes that arrive between the login reply and the end of the catch-up wait for it.
    const catchUp = reconnected && this._seq !== undefined && this._epoch !== undefined;
    this.syncing = catchUp;
    let login: LoginReply;
    try {
      login = await new Promise<LoginReply>((resolve, reject) => {
        const body: Record<string, unknown> = { token };
        if (this.opts.locale !== undefined) body.locale = this.opts.locale;
        this.transmit(this.newPending('auth.login', body, resolve, reject, this.requestTimeoutMs));
      });
    } catch (e) {
      this.syncing = false;
      this.buffered = [];
      this.dropSocket(socket);
      throw e;
    }
    if (this.isClosed()) {
      this.syncing = false;
      throw new RavenpostError('CLOSED', 'the client was closed while logging in');
    }
    this._state = 'open';
    this.attempt = 0;
    this._uid = login.uid;
    this._sessionId = login.sessionId;
    if (typeof login.unread === 'number') this._unread = login.unread;
    const hadFeed = this._seq !== undefined && this._epoch !== undefined;
    if (!reconnected || !hadFeed) {
      this._seq = typeof login.seq === 'number' ? login.seq : undefined;
      this._epoch = typeof login.epoch === 'string' ? login.epoch : undefined;
    }
    this.startHeartbeat();
    this.emit('connected', { ...login, reconnected });
    const queued = this.waiting;
    this.waiting = [];
    for (const p of queued) this.transmit(p);
    if (catchUp) {
      void this.runSync();
    } else if (reconnected) {
      // Without a feed nothing says what changed while the client was away.
      this.emit('resync', { reason: 'no-feed', seq: this._seq, epoch: this._epoch });
    }
  }

  private async getToken(): Promise<string> {
    if (this.opts.tokenProvider) {
      const t = await this.opts.tokenProvider();
      if (typeof t !== 'string' || t === '') {
        throw new RavenpostError('AUTH_INVALID', 'tokenProvider returned no token');
      }
      return t;
    }
    return this.opts.token as string;
  }

  private openSocket(): Promise<WebSocketLike> {
    return new Promise<WebSocketLike>((resolve, reject) => {
      const gen = ++this.generation;
      let socket: WebSocketLike;
      try {
        socket = new this.Ctor(this.opts.url);
      } catch (e) {
        reject(new RavenpostError('DISCONNECTED', `cannot open ${this.opts.url}: ${toError(e).message}`));
        return;
      }
      this.socket = socket;
      socket.binaryType = 'arraybuffer';
      const timer = setTimeout(() => {
        socket.onclose = null;
        try {
          socket.close();
        } catch {
          // closing a socket that never opened may throw in some implementations
        }
        if (this.socket === socket) this.socket = null;
        reject(new RavenpostError('DISCONNECTED', `connecting to ${this.opts.url} took over ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      socket.onerror = () => {
        // a close event follows with the code
      };
      socket.onclose = (ev: { code?: number; reason?: string }) => {
        clearTimeout(timer);
        if (this.socket === socket) this.socket = null;
        this.notifyCloseWaiters();
        reject(new RavenpostError('DISCONNECTED', `cannot connect to ${this.opts.url} (close ${ev?.code ?? '?'}${ev?.reason ? ': ' + ev.reason : ''})`));
      };
      socket.onopen = () => {
        clearTimeout(timer);
        socket.onmessage = (ev: { data: unknown }) => {
          if (gen === this.generation) this.onMessage(ev.data);
        };
        socket.onclose = (ev: { code?: number; reason?: string }) => {
          this.notifyCloseWaiters();
          if (gen === this.generation) this.onSocketClosed(socket, ev?.code ?? 1006, ev?.reason ?? '');
        };
        resolve(socket);
      };
    });
  }

  private onSocketClosed(socket: WebSocketLike, code: number, reason: string): void {
    if (this.socket === socket) this.socket = null;
    this.stopHeartbeat();
    this.failPending('DISCONNECTED', `the connection closed (${code}${reason ? ': ' + reason : ''}) before the reply`);
    if (this._state !== 'open') {
      // A close during login fails the login request; the attempt in progress handles the rest.
      return;
    }
    const kicked = this.kickReason;
    const stop = !this.reconnectOpts.enabled || (kicked !== undefined && this.reconnectOpts.stopOn.includes(kicked));
    const ev: DisconnectedEvent = { code, reason, willReconnect: !stop };
    if (kicked !== undefined) ev.kicked = kicked;
    if (stop) {
      this.finish();
      this.emit('disconnected', ev);
      return;
    }
    this._state = 'reconnecting';
    this.emit('disconnected', ev);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this._state !== 'reconnecting') return;
    const max = this.reconnectOpts.maxAttempts;
    if (max !== undefined && this.attempt >= max) {
      this.emit('error', new RavenpostError('DISCONNECTED', `gave up reconnecting after ${this.attempt} attempts`));
      this.finish();
      return;
    }
    const delayMs = backoffDelay(this.attempt, this.reconnectOpts);
    this.attempt++;
    this.emit('reconnecting', { attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this._state !== 'reconnecting') return;
      this.establish(true).catch((e) => {
        if (this._state === 'closed') return;
        const err = toError(e);
        this.emit('error', err);
        if (this._state === 'open') {
          // Logged in after all (the failure came later): nothing to retry.
          return;
        }
        this._state = 'reconnecting';
        if (err instanceof RavenpostError && isAuthFailure(err.code) && !this.opts.tokenProvider) {
          // The same token will be refused again: end here and let the app log in anew.
          this.finish();
          return;
        }
        this.scheduleReconnect();
      });
    }, delayMs);
  }

  /** Ends the client: no more reconnects or heartbeats; everything pending fails with CLOSED. */
  private finish(): void {
    this._state = 'closed';
    this.syncing = false;
    this.buffered = [];
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.stopHeartbeat();
    this.failPending('CLOSED', 'the client is closed');
    const queued = this.waiting;
    this.waiting = [];
    for (const p of queued) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError('CLOSED', `${p.op}: the client is closed`, { op: p.op }));
    }
    const socket = this.socket;
    this.socket = null;
    this.generation++;
    if (socket && socket.readyState <= OPEN) {
      try {
        socket.close(1000, 'closed by the client');
      } catch {
        // already closing
      }
    }
  }

  /** Closes a socket whose login failed; its close event is then ignored. */
  private dropSocket(socket: WebSocketLike): void {
    if (this.socket === socket) {
      this.socket = null;
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

  private notifyCloseWaiters(): void {
    const ws = this.closeWaiters;
    this.closeWaiters = [];
    for (const w of ws) w();
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

  // ---- heartbeats ----

  private startHeartbeat(): void {
    this.stopHeartbeat();
    if (!(this.heartbeatMs > 0)) return;
    this.heartbeatTimer = setInterval(() => {
      if (this._state !== 'open' || this.heartbeatInFlight) return;
      this.heartbeatInFlight = true;
      const socket = this.socket;
      this.heartbeat()
        .catch((e: RavenpostError) => {
          if (e.code === 'TIMEOUT' && socket && socket === this.socket) {
            // A link that does not answer a heartbeat is dead even if no close came: start over.
            this.emit('error', new RavenpostError('TIMEOUT', 'heartbeat unanswered; reconnecting'));
            try {
              socket.close(4000, 'heartbeat timeout');
            } catch {
              // closing
            }
            this.onSocketClosed(socket, 4000, 'heartbeat timeout');
            this.generation++;
          }
        })
        .finally(() => {
          this.heartbeatInFlight = false;
        });
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.heartbeatInFlight = false;
  }

  // ---- requests ----

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
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError('DISCONNECTED', `${p.op}: not connected`, { op: p.op }));
      return;
    }
    this.pending.set(p.id, p);
    p.sent = true;
    try {
      socket.send(encodeFrame({ id: p.id, op: p.op, body: p.body }, this.encoding));
    } catch (e) {
      this.pending.delete(p.id);
      clearTimeout(p.timer);
      p.reject(new RavenpostError('DISCONNECTED', `${p.op}: ${toError(e).message}`, { op: p.op }));
    }
  }

  private failPending(code: ErrorCode, message: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(new RavenpostError(code, `${p.op}: ${message}`, { op: p.op }));
    }
  }

  // ---- frames ----

  private onMessage(data: unknown): void {
    let f: ServerFrame;
    try {
      f = decodeFrame(data);
    } catch (e) {
      this.emit('error', new RavenpostError('BAD_REQUEST', `undecodable frame from the server: ${toError(e).message}`));
      return;
    }
    if (f.id !== undefined && f.id !== null) {
      this.onReply(f);
    } else if (typeof f.op === 'string') {
      this.onPush(f.op, f.body);
    } else if (f.ok === false && f.error) {
      // An error that answers no request: a frame the server could not read, or a flood warning.
      this.emit('error', serverError(f.error, undefined));
    }
  }

  private onReply(f: ServerFrame): void {
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
        this.onChange(typeof push.seq === 'number' ? push.seq : undefined, push.unread, emit);
        break;
      }
      case 'mail.changed': {
        const push = b as unknown as MailChangedPush;
        const seq = push.change && typeof push.change.seq === 'number' ? push.change.seq : undefined;
        this.onChange(seq, push.unread, () => {
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
        const socket = this.socket;
        if (socket && socket.readyState <= OPEN) {
          try {
            socket.close(1000, 'kicked');
          } catch {
            // closing
          }
        }
        break;
      }
      default:
        break;
    }
  }

  // ---- the change feed ----

  /**
   * Applies a pushed change in feed order: an old `seq` is a repeat and is dropped, the next one
   * is applied, and one past a gap waits while `mail.sync` fetches what lies between.
   */
  private onChange(seq: number | undefined, unread: unknown, apply: () => void): void {
    if (seq === undefined || this._seq === undefined) {
      apply();
      return;
    }
    const item: Buffered = { seq, unread: typeof unread === 'number' ? unread : undefined, apply };
    if (this.syncing) {
      this.buffered.push(item);
      return;
    }
    if (seq <= this._seq) return;
    if (seq === this._seq + 1) {
      this._seq = seq;
      apply();
      return;
    }
    this.buffered.push(item);
    void this.runSync();
  }

  /** Catches up from `seq` with `mail.sync`, page after page, then applies what was pushed meanwhile. */
  private async runSync(): Promise<void> {
    if (this._state !== 'open' || this._seq === undefined || this._epoch === undefined) {
      this.syncing = false;
      return;
    }
    this.syncing = true;
    const socket = this.socket;
    const start = this._seq;
    let applied = 0;
    let resynced = false;
    try {
      for (;;) {
        const r: SyncReply = await this.internalRequest<SyncReply>('mail.sync', { since: this._seq, epoch: this._epoch });
        if (socket !== this.socket) return; // the connection dropped: the reconnect catches up again
        if (r.resync === true) {
          this._seq = r.seq;
          this._epoch = r.epoch;
          resynced = true;
          this.emit('resync', { reason: 'epoch', seq: r.seq, epoch: r.epoch });
          break;
        }
        this._epoch = r.epoch;
        const changes: MailChange[] = r.changes ?? [];
        for (const c of changes) {
          if (typeof c.seq === 'number' && c.seq <= (this._seq as number)) continue;
          this._seq = c.seq;
          applied++;
          this.emit('mail.changed', { change: c, source: 'sync' });
        }
        if (!r.more || !r.changes || r.changes.length === 0) break;
      }
      if (!resynced) {
        this.emit('synced', { seq: this._seq as number, epoch: this._epoch as string, changes: applied });
      }
    } catch (e) {
      if (socket !== this.socket || this._state !== 'open') return;
      const err = toError(e);
      if (err instanceof RavenpostError && (err.code === 'DISCONNECTED' || err.code === 'CLOSED')) return;
      if (err instanceof RavenpostError && err.code === 'UNKNOWN_OP') {
        // A server without the change feed: stop tracking seq, and say what is known.
        this._seq = undefined;
        this._epoch = undefined;
        this.syncing = false;
        this.flushBuffered();
        this.emit('resync', { reason: 'no-feed' });
        return;
      }
      this.emit('error', err);
      this.emit('resync', { reason: 'sync-failed', seq: this._seq, epoch: this._epoch });
    } finally {
      if (socket === this.socket && this._state === 'open' && this.syncing) {
        this.syncing = false;
        const progressed = this._seq !== start || resynced;
        this.stalledSyncs = progressed ? 0 : this.stalledSyncs + 1;
        this.flushBuffered();
      }
    }
  }

  /** Applies buffered pushes in order; a gap still open starts another catch-up (or, when catch-ups stall, a resync). */
  private flushBuffered(): void {
    const items = this.buffered.sort((a, b) => a.seq - b.seq);
    this.buffered = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (this._seq === undefined) {
        it.apply();
        continue;
      }
      if (it.seq <= this._seq) {
        // The catch-up already emitted this change; the push still tells the newer unread count.
        if (it.unread !== undefined) this._unread = it.unread;
        continue;
      }
      if (it.seq === this._seq + 1) {
        this._seq = it.seq;
        it.apply();
        continue;
      }
      // A gap: the changes between are not visible to mail.sync yet, or were this session's own.
      const rest = items.slice(i);
      if (this.stalledSyncs >= MAX_STALLED_SYNCS) {
        this.stalledSyncs = 0;
        this.emit('resync', { reason: 'sync-failed', seq: this._seq, epoch: this._epoch });
        for (const r of rest) {
          if (r.seq > (this._seq as number)) {
            this._seq = r.seq;
            r.apply();
          }
        }
        return;
      }
      this.buffered = rest;
      this.syncing = true;
      const delay = this.stalledSyncs > 0 ? STALLED_SYNC_PAUSE_MS : 0;
      setTimeout(() => void this.runSync(), delay);
      return;
    }
    this.stalledSyncs = 0;
  }

  /** A request sent now on the current connection, never queued (the catch-up's own). */
  private internalRequest<T>(op: string, body: Record<string, unknown>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.transmit(this.newPending(op, body, resolve, reject, this.requestTimeoutMs));
    });
  }

  protected override onListenerError(event: keyof ClientEvents, error: unknown): void {
    if (event !== 'error') {
      this.emit('error', toError(error));
    }
  }
}

/**
 * Connects and logs in; resolves with the client once logged in.
 *
 * ```ts
 * const client = await connect({ url: 'wss://mail.example.com/ws', tokenProvider: fetchToken });
 * client.on('mail.new', ({ mail, unread }) => showBadge(unread));
 * const { mails } = await client.mail.list({ limit: 20 });
 * ```
 */
export function connect(opts: ConnectOptions): Promise<Client> {
  return new Client(opts).connect();
}

function serverError(e: { code: string; message?: string; requestId?: string }, op: string | undefined): RavenpostError {
  const extra: { op?: string; requestId?: string } = {};
  if (op !== undefined) extra.op = op;
  if (typeof e.requestId === 'string') extra.requestId = e.requestId;
  return new RavenpostError(String(e.code) as ErrorCode, e.message ?? String(e.code), extra);
}

function isAuthFailure(code: ErrorCode): boolean {
  return code === 'AUTH_INVALID' || code === 'AUTH_EXPIRED';
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

function stripUndefined(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}
