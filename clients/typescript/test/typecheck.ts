// Compiled (never run) by `npm test`: the published declarations (dist/) type-check in a Node
// project without the DOM library, accept the `ws` package as the WebSocket, and narrow as the
// README says they do.
import WebSocket from 'ws';
import {
  Client,
  RavenpostError,
  connect,
  type ErrorCode,
  type MailChange,
  type MailSummary,
  type SyncReply,
} from '../dist/index.js';

export async function example(): Promise<void> {
  const client: Client = await connect({
    url: 'ws://127.0.0.1:7100/ws',
    tokenProvider: async () => 'token',
    locale: 'pt-BR',
    encoding: 'msgpack',
    WebSocket,
    heartbeatMs: 25_000,
    reconnect: { minDelayMs: 500, maxDelayMs: 30_000, stopOn: ['LOGIN_ELSEWHERE'] },
  });
  const off = client.on('mail.new', ({ mail, unread, seq }) => {
    const m: MailSummary = mail;
    const n: number = unread;
    const s: number | undefined = seq;
    void [m, n, s];
  });
  off();
  client.on('mail.changed', ({ change, source }) => {
    const c: MailChange = change;
    const from: 'push' | 'sync' = source;
    void [c, from];
  });
  client.on('kicked', ({ reason }) => void reason);
  client.on('resync', async () => void (await client.mail.list({ limit: 50 })));
  const page = await client.mail.list({ cursor: null, limit: 20 });
  const next: string | null = page.nextCursor;
  const { mail } = await client.mail.open(page.mails[0].mailId);
  const body: string = mail.body;
  await client.mail.send({ to: { name: 'Ada' }, title: 't', body: 'b', clientMsgId: 'x' });
  const sync: SyncReply = await client.mail.sync({ since: client.seq ?? 0, epoch: client.epoch ?? '' });
  if (sync.resync !== true) {
    const more: boolean = sync.more;
    void more;
  }
  try {
    await client.mail.claim(1);
  } catch (e) {
    if (e instanceof RavenpostError) {
      const code: ErrorCode = e.code;
      if (code === 'ALREADY_CLAIMED' || code === 'TIMEOUT') void code;
    }
  }
  const online = await client.presence.watch({ uids: [1, '2'], known: { '1': true }, waitMs: 1000 });
  const o: boolean | undefined = online.online['1'];
  void [next, body, o];
  await client.close();
}
