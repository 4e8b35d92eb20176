// @ts-check
// The sample web mailbox. It signs in with a player token, lists mail in the language picked,
// opens, claims and deletes, and keeps the list and the unread count live from the client's
// events: mail.new adds a row, mail.changed updates or removes one, resync reloads the list.
// Drawing is in view.js.
import { connect, RavenpostError } from 'ravenpost-client';
import { report, say, showActions, showConnection, showList, showMail, ui } from './view.js';

/** @typedef {import('ravenpost-client').MailSummary} MailSummary */

const PAGE_SIZE = 50;
/** Why a mail left the mailbox, by change type. */
const GONE = {
  deleted: 'was deleted on another device',
  expired: 'has expired',
  recalled: 'was recalled by the sender',
  retracted: 'was withdrawn',
};

/** @type {import('ravenpost-client').Client | null} */
let client = null;
let token = '';
/** The mailbox as shown: mailId → summary. */
const mails = /** @type {Map<number, MailSummary>} */ (new Map());
/** @type {string | null} */
let nextCursor = null;
/** @type {import('ravenpost-client').Mail | null} the mail open in the detail panel */
let opened = null;
/** @type {Array<() => void> | null} changes that came while the list was loading */
let held = null;
let loads = 0;

// ---- signing in and out ----

/** Connects with the token and the language picked, then loads the mailbox. */
async function start() {
  const locale = ui.locale.value || undefined;
  showConnection('connecting', 'Connecting…');
  const c = await connect({ url: ui.url.value, token, locale });
  client = c;
  watch(c);
  showConnection('connected', 'Connected');
  ui.who.textContent = `Player ${c.uid}. Mail shows in ${locale ?? "the token's language"} where the sender wrote one.`;
  await reload();
}

/** Follows the client's events; those of a client this page has let go of are ignored. */
function watch(/** @type {import('ravenpost-client').Client} */ c) {
  c.on('connected', () => c === client && showConnection('connected', 'Connected'));
  c.on('reconnecting', ({ attempt }) => c === client && showConnection('reconnecting', `Reconnecting (attempt ${attempt})…`));
  c.on('disconnected', (e) => {
    if (c !== client) return;
    if (e.willReconnect) showConnection('reconnecting', 'Connection lost. Reconnecting…');
    else stop(e.kicked === 'LOGIN_ELSEWHERE' ? 'Signed in on another device' : 'Disconnected');
  });
  c.on('mail.new', ({ mail }) => c === client && changed(() => mails.set(mail.mailId, mail)));
  c.on('mail.changed', ({ change }) => c === client && changed(() => apply(change)));
  c.on('resync', () => c === client && void reload());
}

/** Closes the client and shows the sign-in form again, with `status` as the connection state. */
function stop(status) {
  const c = client;
  client = null;
  void c?.close();
  mails.clear();
  opened = null;
  ui.detail.hidden = true;
  ui.mailbox.hidden = true;
  ui.signIn.hidden = false;
  ui.unread.hidden = true;
  showConnection('signed-out', status);
  ui.token.focus();
}

// ---- the list ----

/** Loads the newest page again; changes that arrive meanwhile are applied after it. */
async function reload() {
  const c = client;
  const mine = ++loads;
  held ??= [];
  try {
    const page = await c.mail.list({ limit: PAGE_SIZE });
    if (c !== client || mine !== loads) return;
    mails.clear();
    for (const m of page.mails) mails.set(m.mailId, m);
    nextCursor = page.nextCursor;
  } catch (e) {
    if (c !== client || mine !== loads) return;
    report('Could not load the mail', e);
  }
  for (const fn of held) fn();
  held = null;
  if (opened && !mails.has(opened.mailId)) closeDetail('That mail is no longer there.');
  else render();
}

async function loadMore() {
  ui.more.disabled = true;
  try {
    const page = await client.mail.list({ cursor: nextCursor, limit: PAGE_SIZE });
    for (const m of page.mails) if (!mails.has(m.mailId)) mails.set(m.mailId, m);
    nextCursor = page.nextCursor;
    render();
  } catch (e) {
    report('Could not load more mail', e);
  } finally {
    ui.more.disabled = false;
  }
}

/** Applies a change now, or after the list that is loading. */
function changed(/** @type {() => void} */ fn) {
  if (held) held.push(fn);
  else {
    fn();
    render();
  }
}

/** One change of the feed. Each sets a state, so applying one twice is harmless. */
function apply(/** @type {import('ravenpost-client').MailChange} */ change) {
  const mail = mails.get(change.mailId);
  if (change.type === 'new') {
    if (change.mail) mails.set(change.mailId, change.mail);
  } else if (change.type === 'read' || change.type === 'claimed') {
    if (mail) mail[change.type] = true;
  } else {
    mails.delete(change.mailId);
    if (opened?.mailId === change.mailId) closeDetail(`“${opened.title}” ${GONE[change.type] ?? 'is gone'}.`);
  }
}

function render() {
  showList({ mails, nextCursor, openId: opened?.mailId, unread: client?.unread, onOpen: (id) => void openMail(id) });
  if (opened) showActions(mails.get(opened.mailId) ?? opened);
}

// ---- one mail ----

async function openMail(/** @type {number} */ mailId) {
  try {
    const { mail } = await client.mail.open(mailId);
    opened = mail;
    mails.set(mailId, { ...(mails.get(mailId) ?? mail), read: true });
    showMail(mail);
    render();
    ui.title.focus();
    await refreshUnread();
  } catch (e) {
    failed(e, mailId, 'Could not open the mail');
  }
}

async function claim() {
  const { mailId } = opened;
  ui.claim.disabled = true;
  try {
    const { attachments } = await client.mail.claim(mailId);
    mails.set(mailId, { ...mails.get(mailId), read: true, claimed: true });
    say(`Claimed ${attachments.map((a) => `${a.amount} × ${a.id}`).join(', ')}.`);
  } catch (e) {
    if (e instanceof RavenpostError && e.code === 'ALREADY_CLAIMED') mails.set(mailId, { ...mails.get(mailId), claimed: true });
    failed(e, mailId, 'Could not claim');
  }
  render();
  if (!ui.detail.hidden) ui.remove.focus();
  await refreshUnread();
}

async function remove() {
  const { mailId, title } = opened;
  ui.remove.disabled = true;
  try {
    await client.mail.delete(mailId);
    mails.delete(mailId);
    closeDetail(`Deleted “${title}”.`);
  } catch (e) {
    failed(e, mailId, 'Could not delete');
  }
  await refreshUnread();
}

/** Hides the detail panel; the focus goes back to the list if it was in the panel. */
function closeDetail(message = '') {
  const mailId = opened?.mailId;
  const hadFocus = ui.detail.contains(document.activeElement);
  opened = null;
  ui.detail.hidden = true;
  render();
  if (message) say(message);
  if (hadFocus) (ui.list.querySelector(`[data-mail-id="${mailId}"]`) ?? ui.list.querySelector('button') ?? ui.signOut).focus();
}

/** A failed op: a mail that is no longer there leaves the list; anything else is reported. */
function failed(e, mailId, what) {
  if (e instanceof RavenpostError && (e.code === 'NOT_FOUND' || e.code === 'MAIL_EXPIRED')) {
    mails.delete(mailId);
    if (opened?.mailId === mailId) closeDetail();
    else render();
    say('That mail is no longer there.');
  } else {
    report(what, e);
  }
}

/** Asks for the unread count after this session's own ops, which bring no push. */
async function refreshUnread() {
  try {
    await client?.mail.unread();
  } catch {
    // the count shown stays as it was; the next push or login brings a new one
  }
  render();
}

// ---- wiring ----

ui.signIn.addEventListener('submit', async (/** @type {Event} */ e) => {
  e.preventDefault();
  const button = ui.signIn.querySelector('button');
  button.disabled = true;
  token = ui.token.value.trim();
  try {
    await start();
    ui.signIn.hidden = true;
    ui.mailbox.hidden = false;
    say('');
    ui.signOut.focus();
  } catch (err) {
    stop('Signed out');
    report('Sign-in failed', err);
  } finally {
    button.disabled = false;
  }
});
ui.locale.addEventListener('change', async () => {
  if (!client) return;
  const old = client;
  client = null;
  void old.close();
  opened = null;
  ui.detail.hidden = true;
  try {
    await start();
  } catch (err) {
    stop('Signed out');
    report('Could not reconnect in that language', err);
  }
});
ui.signOut.addEventListener('click', () => stop('Signed out'));
ui.more.addEventListener('click', () => void loadMore());
ui.claim.addEventListener('click', () => void claim());
ui.remove.addEventListener('click', () => void remove());
ui.close.addEventListener('click', () => closeDetail());
ui.detail.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => e.key === 'Escape' && closeDetail());

// Only for the sample's browser test (index.html?test): it compares what the page shows with
// what mail.list and mail.unread answer on this page's own session.
if (new URLSearchParams(location.search).has('test')) Object.assign(window, { mailboxClient: () => client });
