// A player: online state and node, the mailbox (paged), kick, and recall of a mail not yet claimed.
import { api, el, table, time, errorText, canWrite } from './api.js';

export function player(view, session) {
  const uid = el('input', { id: 'player-uid', size: 22, placeholder: 'uid' });
  const out = el('div', { id: 'player-out' });
  view.append(el('h1', {}, 'Player'),
    el('form', { id: 'player-form', onsubmit: (ev) => { ev.preventDefault(); lookUp(uid.value.trim()); } },
      el('label', {}, 'Uid', uid), el('button', { type: 'submit', id: 'player-lookup' }, 'Look up')), out);
  const fromHash = location.hash.split('/')[2];
  if (fromHash) {
    uid.value = fromHash;
    lookUp(fromHash);
  }

  async function lookUp(u) {
    out.replaceChildren();
    if (!/^\d{1,19}$/.test(u)) {
      out.append(el('p', { class: 'error' }, 'A uid is a positive decimal number'));
      return;
    }
    const state = el('div', { class: 'panel', id: 'player-state' }, 'Loading…');
    const box = el('div', { id: 'player-mailbox' });
    const more = el('button', { type: 'button', class: 'secondary', id: 'player-more', hidden: true }, 'More');
    const recallResult = el('p', { id: 'player-recall-result', role: 'status' });
    out.append(state, el('h2', {}, 'Mailbox'), recallResult, box, more);
    try {
      const o = await api('GET', `/admin/online/${u}`);
      state.replaceChildren(
        el('p', { id: 'player-online' }, o.online ? `Online on node ${o.node}, session ${o.sessionId}, since ${time(o.since)}`
          : 'Offline'),
        canWrite(session) ? el('button', { type: 'button', class: 'danger', id: 'player-kick',
          onclick: () => confirmKick(u, state) }, 'Kick…') : '',
        el('p', { id: 'player-kick-result', role: 'status' }));
    } catch (e) {
      state.replaceChildren(el('p', { class: 'error' }, errorText(e)));
    }
    let mails = [];
    async function page(cursor) {
      try {
        const p = await api('GET', `/admin/users/${u}/mail?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        mails = cursor ? mails.concat(p.mails) : p.mails;
        box.replaceChildren(mails.length === 0 ? el('p', { class: 'muted' }, 'No mail') : table('player-mail-table', [
          ['Mail', (m) => m.mailId], ['Kind', (m) => m.kind], ['From', (m) => m.from], ['Title', (m) => m.title],
          ['Created', (m) => time(m.createdAt)], ['Expires', (m) => time(m.expiresAt)],
          ['Read', (m) => (m.read ? 'yes' : 'no')],
          ['Attachments', (m) => (m.attachments || []).map((a) => `${a.amount} × ${a.type} ${a.id}`).join(', ')],
          ['Claimed', (m) => (m.hasAttachments ? (m.claimed ? 'yes' : 'no') : '')],
          ...(canWrite(session) ? [['', (m) => (m.claimed ? '' : el('button', { type: 'button', class: 'danger',
            id: `player-recall-${m.mailId}`, onclick: () => confirmRecall(u, m, box, recallResult, () => page(null)) },
          'Recall…'))]] : []),
        ], mails));
        more.hidden = !p.nextCursor;
        more.onclick = () => page(p.nextCursor);
      } catch (e) {
        box.replaceChildren(el('p', { class: 'error' }, errorText(e)));
      }
    }
    page(null);
  }

  // A claimed mail cannot be recalled (the server answers ALREADY_CLAIMED, say from another tab);
  // whatever the answer, the mailbox is read again so the page shows what is there now.
  function confirmRecall(u, m, box, result, reload) {
    document.getElementById('player-recall-confirm')?.remove();
    const panel = el('div', { class: 'panel confirm', id: 'player-recall-confirm' },
      el('p', {}, `Recall mail ${m.mailId} “${m.title}” from player ${u}? It leaves the mailbox and its attachments `
        + 'can no longer be claimed.'),
      el('button', { type: 'button', class: 'danger', id: 'player-recall-confirm-button', onclick: async () => {
        panel.remove();
        try {
          await api('DELETE', `/admin/users/${u}/mail/${m.mailId}`);
          result.className = 'ok';
          result.textContent = `Mail ${m.mailId} recalled`;
        } catch (e) {
          result.className = 'error';
          result.textContent = `Not recalled: ${errorText(e)}`;
        }
        reload();
      } }, 'Confirm recall'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => panel.remove() }, 'Cancel'));
    box.before(panel);
  }

  function confirmKick(u, state) {
    const box = el('div', { class: 'panel confirm', id: 'player-kick-confirm' },
      el('p', {}, `Kick player ${u}? The session gets session.kicked (ADMIN) and is closed.`),
      el('button', { type: 'button', class: 'danger', id: 'player-kick-confirm-button', onclick: async () => {
        box.remove();
        const r = document.getElementById('player-kick-result');
        try {
          await api('POST', `/admin/users/${u}/kick`);
          r.className = 'ok';
          r.textContent = `Player ${u} kicked`;
        } catch (e) {
          r.className = 'error';
          r.textContent = `Not kicked: ${errorText(e)}`;
        }
      } }, 'Confirm kick'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Cancel'));
    state.append(box);
  }
  return null;
}
