import type { KickReason, KickedPush, LoginReply, MailChangedPush, MailNewPush } from './types.js';

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

/** How the parts of a client emit its events: the client's own (protected) `emit`, handed to them. */
export type Emit = <K extends keyof ClientEvents>(event: K, payload: Parameters<ClientEvents[K]>[0]) => boolean;
