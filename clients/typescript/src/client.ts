import { mailApi, presenceApi, type MailApi, type PresenceApi, type RequestFn } from './api.js';
import { Emitter } from './emitter.js';
import { toError } from './errors.js';
import type { ClientEvents, ClientState } from './events.js';
import { resolveOptions, type ConnectOptions } from './options.js';
import { Session } from './session.js';
import type { HeartbeatReply } from './types.js';

/**
 * A player's connection to Ravenpost. Create it with {@link connect} (or `new Client(opts)` then
 * `client.connect()` to attach listeners before the first login).
 */
export class Client extends Emitter<ClientEvents> {
  readonly mail: MailApi;

  readonly presence: PresenceApi;

  private readonly session: Session;

  constructor(opts: ConnectOptions) {
    super();
    const settings = resolveOptions(opts);
    this.session = new Session(
      settings,
      (event, payload) => this.emit(event, payload),
      () => this.heartbeat(),
    );
    const request: RequestFn = (op, body, options) => this.request(op, body, options);
    this.mail = mailApi(request, (unread) => this.session.setUnread(unread));
    this.presence = presenceApi(request, settings.requestTimeoutMs);
  }

  /** `idle` before `connect()`, `open` while logged in, `reconnecting` between, `closed` at the end. */
  get state(): ClientState {
    return this.session.state;
  }

  /** The last change of the feed this client applied (from the login reply, pushes and catch-ups); undefined without a feed. */
  get seq(): number | undefined {
    return this.session.feed.seq;
  }

  /** The change feed's epoch the client's `seq` belongs to; undefined without a feed. */
  get epoch(): string | undefined {
    return this.session.feed.epoch;
  }

  /** The unread count the server last told (login, heartbeats, pushes, `mail.unread`). */
  get unread(): number | undefined {
    return this.session.unread;
  }

  get uid(): number | undefined {
    return this.session.uid;
  }

  get sessionId(): string | undefined {
    return this.session.sessionId;
  }

  /** Opens the socket and logs in; resolves with this client once logged in. Rejects if the first attempt fails. */
  connect(): Promise<this> {
    return this.session.connect(this);
  }

  /** Stops heartbeats and reconnects, fails what is pending with `CLOSED`, and closes the socket. */
  close(): Promise<void> {
    return this.session.close();
  }

  /** Sends a heartbeat now; the client also sends one every `heartbeatMs`. */
  heartbeat(): Promise<HeartbeatReply> {
    return this.request<HeartbeatReply>('heartbeat', {}).then((r) => {
      if (typeof r.unread === 'number') this.session.setUnread(r.unread);
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
    return this.session.request<T>(op, body, options.timeoutMs);
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
