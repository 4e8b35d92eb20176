/**
 * The shapes of PROTOCOL.md's client frames. Fields a newer server may add are allowed: every
 * object can carry more than is typed here.
 */

/** A player id: a positive int64. Sent as a number or a decimal string; servers answer with numbers. */
export type Uid = number | string;

export type Encoding = 'json' | 'msgpack';

export interface Attachment {
  type: 'currency' | 'item' | (string & {});
  id: string;
  amount: number;
}

/** A mail as lists and pushes carry it. Times are epoch milliseconds. */
export interface MailSummary {
  mailId: number;
  kind: string;
  from: string | null;
  title: string;
  createdAt: number;
  expiresAt: number;
  read: boolean;
  hasAttachments: boolean;
  claimed: boolean;
  /** The language the text is shown in, when the server chose one. */
  locale?: string;
  [extra: string]: unknown;
}

/** A mail as `mail.open` returns it. */
export interface Mail extends MailSummary {
  body: string;
  attachments: Attachment[];
}

export type ChangeType = 'new' | 'read' | 'claimed' | 'deleted' | 'expired' | 'recalled' | 'retracted';

/** One entry of a mailbox's change feed. `mail` comes with `type: 'new'`. */
export interface MailChange {
  seq: number;
  type: ChangeType | (string & {});
  mailId: number;
  mail?: MailSummary;
}

// ---- replies ----

export interface LoginReply {
  uid: number;
  sessionId: string;
  serverTime: number;
  unread: number;
  /** The mailbox's latest change; absent on servers without the change feed. */
  seq?: number;
  /** The change feed's epoch; absent on servers without the change feed. */
  epoch?: string;
  [extra: string]: unknown;
}

export interface HeartbeatReply {
  serverTime: number;
  unread: number;
  /** True when mail arrived since the last `mail.list`. */
  newMail: boolean;
}

export interface ListParams {
  /** The `nextCursor` of the previous page; omit for the newest page. */
  cursor?: string | number | null;
  /** 1..100, default 20. */
  limit?: number;
}

export interface ListReply {
  mails: MailSummary[];
  /** Pass it as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface OpenReply {
  mail: Mail;
}

export interface ClaimReply {
  attachments: Attachment[];
}

export interface ClaimAllReply {
  /** The mails claimed (the server may cap this list; see `truncated`). */
  claimed: number[];
  attachments: Attachment[];
  /** How many mails were claimed, when the server tells it. */
  claimedCount?: number;
  /** True when `claimed` or `attachments` was cut short. */
  truncated?: boolean;
}

export interface SendParams {
  /** A uid, or `{name}` to send by player name. */
  to: Uid | { name: string };
  title: string;
  body: string;
  /** The same id from the same sender within 24 h returns the first mailId and sends nothing new. */
  clientMsgId?: string;
}

export interface SendReply {
  mailId: number;
}

export interface UnreadReply {
  unread: number;
}

export interface SyncParams {
  /** A `seq` this client has applied. */
  since: number;
  epoch: string;
}

/** A page of the change feed, or `{resync: true}` when the client must reload with `mail.list`. */
export type SyncReply =
  | { resync?: false; changes: MailChange[]; seq: number; epoch: string; more: boolean }
  | { resync: true; seq: number; epoch: string };

export interface WatchParams {
  /** Up to 200 uids. */
  uids: Uid[];
  /** What the caller believes: uid (decimal string) → online. */
  known: Record<string, boolean>;
  /** How long the server may hold the request (server default 30 s, at most 60 s). */
  waitMs?: number;
}

export interface WatchReply {
  /** Only the uids whose state differs from `known`; empty when the wait passed. */
  online: Record<string, boolean>;
}

// ---- pushes ----

export type KickReason = 'LOGIN_ELSEWHERE' | 'ADMIN' | 'SHUTDOWN' | (string & {});

export interface MailNewPush {
  mail: MailSummary;
  unread: number;
  /** Absent on servers without the change feed. */
  seq?: number;
}

export interface MailChangedPush {
  change: MailChange;
  unread?: number;
}

export interface KickedPush {
  reason: KickReason;
}

/** A request frame. */
export interface RequestFrame {
  id: number | string;
  op: string;
  body: Record<string, unknown>;
}

/** Any frame from the server: a reply (with `id`) or a push (with `op`, no `id`). */
export interface ServerFrame {
  id?: number | string | null;
  ok?: boolean;
  op?: string;
  body?: unknown;
  error?: { code: string; message?: string; requestId?: string };
}
