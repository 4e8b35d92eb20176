// The audit trail: every write through /admin and /internal, newest first, filterable by actor.
import { api, el, table, time, errorText } from './api.js';

export function audit(view) {
  const actor = el('input', { id: 'audit-actor', size: 20, placeholder: 'any actor' });
  const list = el('div', { id: 'audit-list' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'audit-more', hidden: true }, 'More');
  const status = el('p', { class: 'muted', id: 'audit-status' });
  view.append(el('h1', {}, 'Audit'),
    el('form', { id: 'audit-form', onsubmit: (ev) => { ev.preventDefault(); load(null); } },
      el('label', {}, 'Actor', actor), el('button', { type: 'submit', id: 'audit-filter' }, 'Filter')),
    status, list, more);
  let rows = [];
  let cursor = null;

  async function load(next) {
    const q = new URLSearchParams({ limit: '50' });
    if (actor.value.trim()) q.set('actor', actor.value.trim());
    if (next) q.set('cursor', next);
    try {
      const page = await api('GET', `/admin/audit?${q}`);
      rows = next ? rows.concat(page.entries) : page.entries;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      list.replaceChildren(table('audit-table', [
        ['When', (e) => time(e.at)], ['Actor', (e) => e.actor], ['Action', (e) => e.action],
        ['Target', (e) => e.target], ['Result', (e) => e.result], ['Route', (e) => e.route],
        ['Request', (e) => e.requestId],
      ], rows));
      status.textContent = `${rows.length} shown`;
    } catch (e) {
      status.textContent = errorText(e);
    }
  }
  more.addEventListener('click', () => load(cursor));
  load(null);
  return null;
}
