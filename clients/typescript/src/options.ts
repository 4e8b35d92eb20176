import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import type { Encoding, KickReason } from './types.js';

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

/** The reconnect options with their defaults filled in. */
export type ReconnectSettings = ReconnectOptions & { enabled: boolean; stopOn: KickReason[] };

/** {@link ConnectOptions} checked, with every default filled in. */
export interface Settings {
  readonly opts: ConnectOptions;
  readonly Ctor: WebSocketConstructor;
  readonly encoding: Encoding;
  readonly heartbeatMs: number;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnect: ReconnectSettings;
}

const DEFAULT_HEARTBEAT_MS = 25_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Checks the options (throwing a TypeError for a bad one) and fills in the defaults. */
export function resolveOptions(opts: ConnectOptions): Settings {
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
  const encoding = opts.encoding ?? 'json';
  if (encoding !== 'json' && encoding !== 'msgpack') {
    throw new TypeError(`connect: encoding must be 'json' or 'msgpack', not ${String(encoding)}`);
  }
  const r = opts.reconnect === false ? { enabled: false } : (opts.reconnect ?? {});
  return {
    opts,
    Ctor,
    encoding,
    heartbeatMs: opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    reconnect: {
      ...DEFAULT_BACKOFF,
      ...r,
      enabled: r.enabled ?? true,
      stopOn: r.stopOn ?? ['LOGIN_ELSEWHERE', 'ADMIN'],
    },
  };
}
