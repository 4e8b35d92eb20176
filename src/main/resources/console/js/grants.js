// Dead letters: grants the game never acknowledged within grants.retentionDays, with a resend. The
// player is read from the grant id: a JavaScript number cannot hold every int64 uid.
import { api, el, table, time, errorText, canWrite } from './api.js';

export function grants(view, session) {
  const writer = canWrite(session);
  const list = el('div', { id: 'grants-list' });
  const status = el('p', { class: 'muted', id: 'grants-status', role: 'status' });
  const result = el('p', { id: 'grants-result', role: 'status' });
  view.append(el('h1', {}, 'Dead letters'),
    el('p', {}, 'Rewards players claimed that the game server never acknowledged. Resend one once the '
      + 'game can take it: the game drops any it had in fact applied, by grant id.'),
    status, result, list);

  async function load() {
    try {
      const page = await api('GET', '/admin/grants/dead?limit=200');
      list.replaceChildren(table('grants-table', [
        ['Grant', (g) => g.grantId], ['Player', (g) => g.grantId.split('-')[0]], ['Attachments', attachments],
        ['Claimed', (g) => time(g.grantedAt)], ['Dead since', (g) => time(g.deadAt)],
        ['Attempts', (g) => g.attempts], ['Last error', (g) => g.lastError || ''],
        ['', (g) => (writer ? el('button', { type: 'button', class: 'secondary', id: `grants-resend-${g.grantId}`,
          onclick: () => resend(g) }, 'Resend') : '')],
      ], page.grants));
      status.textContent = page.grants.length ? `${page.grants.length} shown` : 'No dead letters';
    } catch (e) {
      status.textContent = errorText(e);
    }
  }

  async function resend(g) {
    try {
      await api('POST', `/admin/grants/${encodeURIComponent(g.grantId)}/resend`);
      result.className = 'ok';
      result.textContent = `Grant ${g.grantId} offered to the game again`;
      load();
    } catch (e) {
      result.className = 'error';
      result.textContent = `Not resent: ${errorText(e)}`;
    }
  }

  load();
  return null;
}

function attachments(g) {
  return (g.attachments || []).map((a) => `${a.amount ?? ''} ${a.id ?? a.type ?? ''}`.trim()).join(', ');
}
