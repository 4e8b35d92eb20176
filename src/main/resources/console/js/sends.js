// One personal send (#/sends/{sendId}): its mails and what became of each, and its recall.
import { api, el, table, time, errorText, canWrite } from './api.js';

export function sends(view, session) {
  const sendId = location.hash.split('/')[2] || '';
  const out = el('div', { id: 'sendpage-out' }, 'Loading…');
  const result = el('p', { id: 'sendpage-recall-result', role: 'status' });
  view.append(el('h1', {}, `Send ${sendId}`), result, out);
  if (!/^\d{1,19}$/.test(sendId)) {
    out.replaceChildren(el('p', { class: 'error' }, 'A send id is a positive decimal number'));
    return null;
  }

  async function load() {
    try {
      const s = await api('GET', `/admin/sends/${sendId}`);
      const open = s.mails.filter((m) => m.state === 'unclaimed').length;
      out.replaceChildren(
        el('p', { id: 'sendpage-summary' }, `Sent ${time(s.createdAt)} to ${s.total} mailbox(es); `
          + `${s.claimed} claimed, ${open}${s.truncated ? '+' : ''} still unclaimed.`),
        canWrite(session) ? recallSendButton(sendId, 'sendpage', result, load) : '',
        table('sendpage-table', [
          ['Mail', (m) => m.mailId], ['Player', (m) => el('a', { href: `#/player/${m.uid}` }, m.uid)],
          ['Title', (m) => m.title], ['Read', (m) => (m.read ? 'yes' : 'no')],
          ['Attachments', (m) => (m.hasAttachments ? 'yes' : 'no')], ['State', (m) => m.state],
        ], s.mails),
        s.truncated ? el('p', { class: 'muted' }, `The first ${s.mails.length} of ${s.total} mails, by player.`) : '');
    } catch (e) {
      out.replaceChildren(el('p', { class: 'error', id: 'sendpage-error' }, errorText(e)));
    }
  }
  load();
  return null;
}

// "Recall this send…" and its confirmation: every mail of the send still unclaimed is taken back;
// those already claimed stay. `after` runs whatever the answer, to show the send as it is now.
export function recallSendButton(sendId, prefix, result, after) {
  const wrap = el('span', {});
  const button = el('button', { type: 'button', class: 'danger', id: `${prefix}-recall`, onclick: () => {
    if (document.getElementById(`${prefix}-recall-confirm`)) return;
    const panel = el('div', { class: 'panel confirm', id: `${prefix}-recall-confirm` },
      el('p', {}, `Recall send ${sendId}? Every mail of it not yet claimed leaves its mailbox; claimed ones stay.`),
      el('button', { type: 'button', class: 'danger', id: `${prefix}-recall-confirm-button`, onclick: async () => {
        panel.remove();
        try {
          const r = await api('DELETE', `/admin/sends/${sendId}`);
          result.className = 'ok';
          result.textContent = `Send ${sendId} recalled: ${r.recalled} mail(s) taken back, ${r.alreadyClaimed} already claimed`;
        } catch (e) {
          result.className = 'error';
          result.textContent = `Not recalled: ${errorText(e)}`;
        }
        if (after) after();
      } }, 'Confirm recall'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => panel.remove() }, 'Cancel'));
    wrap.append(panel);
  } }, 'Recall this send…');
  wrap.append(button);
  return wrap;
}
