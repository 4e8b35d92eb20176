// @ts-check
// What the sample web mailbox draws. Server strings (titles, bodies, names) only ever go in
// through textContent, never innerHTML: mail is plain text.
import { RavenpostError } from 'ravenpost-client';

/** @typedef {import('ravenpost-client').MailSummary} MailSummary */
/** @typedef {import('ravenpost-client').Mail} Mail */

/** @param {string} id */
const $ = (id) => /** @type {any} */ (document.getElementById(id));
export const ui = {
  signIn: $('sign-in'), url: $('url'), token: $('token'), locale: $('locale'),
  connection: $('connection'), unread: $('unread'), notice: $('notice'),
  mailbox: $('mailbox'), who: $('who'), list: $('mails'), empty: $('empty'), more: $('more'),
  signOut: $('sign-out'), detail: $('detail'), title: $('detail-title'), meta: $('detail-meta'),
  body: $('detail-body'), attachments: $('detail-attachments'), claim: $('claim'),
  remove: $('delete'), deleteHint: $('delete-hint'), close: $('close'),
};

/**
 * Draws the list (newest first, as mail.list orders it) and the unread count; the row that had
 * the focus keeps it.
 * @param {{mails: Map<number, MailSummary>, nextCursor: string | null, openId: number | undefined,
 *   unread: number | undefined, onOpen: (mailId: number) => void}} state
 */
export function showList({ mails, nextCursor, openId, unread, onOpen }) {
  const focused = document.activeElement?.closest('[data-mail-id]')?.getAttribute('data-mail-id');
  const rows = [...mails.values()].sort((a, b) => b.mailId - a.mailId).map((m) => row(m, m.mailId === openId, onOpen));
  ui.list.replaceChildren(...rows);
  ui.empty.hidden = mails.size > 0;
  ui.more.hidden = !nextCursor;
  if (focused) ui.list.querySelector(`[data-mail-id="${focused}"]`)?.focus();
  ui.unread.hidden = unread === undefined;
  ui.unread.dataset.count = String(unread);
  ui.unread.textContent = `${unread} unread`;
}

/** @param {MailSummary} mail @param {boolean} open @param {(mailId: number) => void} onOpen */
function row(mail, open, onOpen) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'mail';
  button.dataset.mailId = String(mail.mailId);
  button.dataset.read = String(mail.read);
  button.dataset.claimed = String(mail.claimed);
  if (open) button.setAttribute('aria-current', 'true');
  button.append(
    text('span', 'title', mail.title, mail.locale),
    text('span', 'hint', `${mail.from ?? 'system'} · ${when(mail.createdAt)}`),
  );
  if (!mail.read) button.prepend(text('span', 'tag new', 'New'));
  if (mail.hasAttachments) button.append(text('span', 'tag', mail.claimed ? 'Claimed' : 'Gift'));
  // The language the server chose for this mail, when it has several.
  if (mail.locale) button.append(text('span', 'tag locale', mail.locale));
  button.addEventListener('click', () => onOpen(mail.mailId));
  const li = document.createElement('li');
  li.append(button);
  return li;
}

/** Fills the detail panel with a mail as mail.open answered it, and shows it. */
export function showMail(/** @type {Mail} */ mail) {
  ui.title.textContent = mail.title;
  ui.title.lang = ui.body.lang = mail.locale ?? '';
  const shownIn = mail.locale ? ` · shown in ${mail.locale}` : '';
  ui.meta.textContent = `From ${mail.from ?? 'system'} · ${when(mail.createdAt)} · expires ${when(mail.expiresAt)}${shownIn}`;
  ui.body.textContent = mail.body;
  ui.attachments.replaceChildren(...mail.attachments.map((a) => text('li', '', `${a.amount} × ${a.id} (${a.type})`)));
  if (!mail.attachments.length) ui.attachments.append(text('li', 'hint', 'None'));
  ui.detail.hidden = false;
}

/** The open mail's buttons: Claim while attachments wait, Delete once none do. */
export function showActions(/** @type {MailSummary} */ mail) {
  const unclaimed = mail.hasAttachments && !mail.claimed;
  ui.claim.hidden = !mail.hasAttachments;
  ui.claim.disabled = !unclaimed;
  ui.claim.textContent = unclaimed ? 'Claim' : 'Claimed';
  ui.remove.disabled = unclaimed;
  ui.deleteHint.textContent = unclaimed ? 'Claim the attachments before deleting this mail.' : '';
}

/** @param {'signed-out' | 'connecting' | 'connected' | 'reconnecting'} state @param {string} label */
export function showConnection(state, label) {
  ui.connection.dataset.state = state;
  ui.connection.textContent = label;
}

export function say(/** @type {string} */ message) {
  ui.notice.textContent = message;
}

/** @param {string} what @param {any} e */
export function report(what, e) {
  say(`${what}: ${e instanceof RavenpostError ? `${e.code} ` : ''}${e.message}`);
}

/** An element holding `value` as plain text. */
function text(tag, className, value, lang = '') {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = value;
  if (lang) el.lang = lang;
  return el;
}

/** A time (epoch ms) in the language picked. */
function when(/** @type {number} */ ms) {
  return new Intl.DateTimeFormat(ui.locale.value || undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}
