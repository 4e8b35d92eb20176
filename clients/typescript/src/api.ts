import type {
  ClaimAllReply,
  ClaimReply,
  ListParams,
  ListReply,
  OpenReply,
  SendParams,
  SendReply,
  SyncParams,
  SyncReply,
  UnreadReply,
  WatchParams,
  WatchReply,
} from './types.js';

/** The client's `mail` ops (`client.mail`). */
export interface MailApi {
  list(params?: ListParams): Promise<ListReply>;
  open(mailId: number | string): Promise<OpenReply>;
  claim(mailId: number | string): Promise<ClaimReply>;
  claimAll(): Promise<ClaimAllReply>;
  delete(mailId: number | string): Promise<Record<string, never>>;
  send(params: SendParams): Promise<SendReply>;
  unread(): Promise<UnreadReply>;
  sync(params: SyncParams): Promise<SyncReply>;
}

/** The client's `presence` ops (`client.presence`). */
export interface PresenceApi {
  watch(params: WatchParams): Promise<WatchReply>;
}

/** {@link Client.request}: sends one op and resolves with its reply body. */
export type RequestFn = <T = Record<string, unknown>>(
  op: string,
  body?: Record<string, unknown>,
  options?: { timeoutMs?: number },
) => Promise<T>;

/** What the server holds a `presence.watch` without `waitMs` for. */
const DEFAULT_WATCH_WAIT_MS = 30_000;

/** The `mail` ops over `request`; `mail.unread` hands the count it reads to `setUnread`. */
export function mailApi(request: RequestFn, setUnread: (unread: number) => void): MailApi {
  return {
    list: (p = {}) => request('mail.list', { cursor: p.cursor ?? undefined, limit: p.limit }),
    open: (mailId) => request('mail.open', { mailId }),
    claim: (mailId) => request('mail.claim', { mailId }),
    claimAll: () => request('mail.claimAll', {}),
    delete: (mailId) => request('mail.delete', { mailId }),
    send: (p) => request('mail.send', { to: p.to, title: p.title, body: p.body, clientMsgId: p.clientMsgId }),
    unread: () =>
      request<UnreadReply>('mail.unread', {}).then((r) => {
        setUnread(r.unread);
        return r;
      }),
    sync: (p) => request('mail.sync', { since: p.since, epoch: p.epoch }),
  };
}

/**
 * The `presence` ops over `request`. A watch is held by the server up to its `waitMs`, so its
 * reply may take that long plus the usual request timeout.
 */
export function presenceApi(request: RequestFn, requestTimeoutMs: number): PresenceApi {
  return {
    watch: (p) =>
      request(
        'presence.watch',
        { uids: p.uids, known: p.known, waitMs: p.waitMs },
        { timeoutMs: (p.waitMs ?? DEFAULT_WATCH_WAIT_MS) + requestTimeoutMs },
      ),
  };
}
