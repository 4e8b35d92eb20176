import { RavenpostError, toError } from './errors.js';
import type { Emit } from './events.js';
import type { WebSocketLike } from './options.js';
import type { LoginReply, MailChange, SyncReply } from './types.js';

/** What the change feed needs from the client. */
export interface FeedHost {
  /** Whether the client is logged in now. */
  isOpen(): boolean;
  /** The current socket: a catch-up whose socket is no longer current stops. */
  socket(): WebSocketLike | null;
  /** A request sent now on the current connection, never queued. */
  send<T>(op: string, body: Record<string, unknown>): Promise<T>;
  setUnread(unread: number): void;
  emit: Emit;
}

interface Buffered {
  seq: number;
  /** The unread count the push carried. */
  unread: number | undefined;
  apply: () => void;
}

/** Catch-ups in a row that may end with a gap still open before the client gives up and resyncs. */
const MAX_STALLED_SYNCS = 3;
const STALLED_SYNC_PAUSE_MS = 500;

/**
 * The client's place in the server's change feed (`seq` within `epoch`): pushed changes are
 * applied in feed order, and what was missed is fetched with `mail.sync`.
 */
export class ChangeFeed {
  private _seq: number | undefined;
  private _epoch: string | undefined;
  private syncing = false;
  private buffered: Buffered[] = [];
  private stalledSyncs = 0;

  constructor(private readonly host: FeedHost) {}

  get seq(): number | undefined {
    return this._seq;
  }

  get epoch(): string | undefined {
    return this._epoch;
  }

  /**
   * Before a login: whether it will catch up (a reconnect of a client that tracks the feed).
   * Pushes that arrive between the login reply and the end of the catch-up wait for it.
   */
  beginLogin(reconnected: boolean): boolean {
    const catchUp = reconnected && this._seq !== undefined && this._epoch !== undefined;
    this.syncing = catchUp;
    return catchUp;
  }

  /** Takes the feed position from a login reply, unless a reconnect keeps its own to catch up from. */
  loggedIn(login: LoginReply, reconnected: boolean): void {
    const hadFeed = this._seq !== undefined && this._epoch !== undefined;
    if (!reconnected || !hadFeed) {
      this._seq = typeof login.seq === 'number' ? login.seq : undefined;
      this._epoch = typeof login.epoch === 'string' ? login.epoch : undefined;
    }
  }

  /** Stops waiting for a catch-up and drops the pushes held for it (a failed login, or the end). */
  clear(): void {
    this.syncing = false;
    this.buffered = [];
  }

  /**
   * Applies a pushed change in feed order: an old `seq` is a repeat and is dropped, the next one
   * is applied, and one past a gap waits while `mail.sync` fetches what lies between.
   */
  onChange(seq: number | undefined, unread: unknown, apply: () => void): void {
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
  async runSync(): Promise<void> {
    if (!this.host.isOpen() || this._seq === undefined || this._epoch === undefined) {
      this.syncing = false;
      return;
    }
    this.syncing = true;
    const socket = this.host.socket();
    const start = this._seq;
    let applied = 0;
    let resynced = false;
    try {
      for (;;) {
        const r: SyncReply = await this.host.send<SyncReply>('mail.sync', { since: this._seq, epoch: this._epoch });
        if (socket !== this.host.socket()) return; // the connection dropped: the reconnect catches up again
        if (r.resync === true) {
          this._seq = r.seq;
          this._epoch = r.epoch;
          resynced = true;
          this.host.emit('resync', { reason: 'epoch', seq: r.seq, epoch: r.epoch });
          break;
        }
        this._epoch = r.epoch;
        const changes: MailChange[] = r.changes ?? [];
        for (const c of changes) {
          if (typeof c.seq === 'number' && c.seq <= (this._seq as number)) continue;
          this._seq = c.seq;
          applied++;
          this.host.emit('mail.changed', { change: c, source: 'sync' });
        }
        if (!r.more || !r.changes || r.changes.length === 0) break;
      }
      if (!resynced) {
        this.host.emit('synced', { seq: this._seq as number, epoch: this._epoch as string, changes: applied });
      }
    } catch (e) {
      if (socket !== this.host.socket() || !this.host.isOpen()) return;
      const err = toError(e);
      if (err instanceof RavenpostError && (err.code === 'DISCONNECTED' || err.code === 'CLOSED')) return;
      if (err instanceof RavenpostError && err.code === 'UNKNOWN_OP') {
        // A server without the change feed: stop tracking seq, and say what is known.
        this._seq = undefined;
        this._epoch = undefined;
        this.syncing = false;
        this.flushBuffered();
        this.host.emit('resync', { reason: 'no-feed' });
        return;
      }
      this.host.emit('error', err);
      this.host.emit('resync', { reason: 'sync-failed', seq: this._seq, epoch: this._epoch });
    } finally {
      if (socket === this.host.socket() && this.host.isOpen() && this.syncing) {
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
        if (it.unread !== undefined) this.host.setUnread(it.unread);
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
        this.host.emit('resync', { reason: 'sync-failed', seq: this._seq, epoch: this._epoch });
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
}
