// Global mail: the list with delivery progress, one mail's detail with its copies delivered, opened
// and claimed over time, retraction.
import { api, el, table, time, errorText, canWrite } from './api.js';
import { timeChart, destroyChart } from './charts.js';

export function globalMail(view, session) {
  const list = el('div', { id: 'global-list' });
  const detail = el('div', { id: 'global-detail' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'global-more', hidden: true }, 'More');
  const status = el('p', { class: 'muted', id: 'global-status' });
  view.append(el('h1', {}, 'Global mail'), status, detail, list, more);
  let rows = [];
  let cursor = null;

  async function load(next) {
    try {
      const page = await api('GET', `/admin/global-mail?limit=20${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
      rows = next ? rows.concat(page.mails) : page.mails;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      list.replaceChildren(table('global-table', [
        ['Id', (m) => m.globalMailId], ['Title', (m) => m.title], ['Target', (m) => describe(m.target)],
        ['Created', (m) => time(m.createdAt)], ['Delivered', (m) => m.delivered], ['Claimed', (m) => m.claimed],
        ['Removed', (m) => m.removed], ['State', state],
      ], rows, show));
      status.textContent = `${rows.length} shown`;
    } catch (e) {
      status.textContent = errorText(e);
    }
  }

  function show(m) {
    const heading = el('h2', { tabindex: -1 }, `Global mail ${m.globalMailId}: ${m.title}`);
    destroyChart(detail.querySelector('.chart'));
    const chart = el('div', { class: 'chart', id: 'global-timeline' });
    const timelineStatus = el('p', { class: 'muted', id: 'global-timeline-status', role: 'status' });
    detail.replaceChildren(el('div', { class: 'panel', id: `global-detail-${m.globalMailId}` },
      heading,
      el('p', {}, `From ${m.from} to ${describe(m.target)}; attachments: ${m.hasAttachments ? 'yes' : 'no'}`),
      el('p', {}, `Created ${time(m.createdAt)}, visible from ${time(m.startsAt)}, expires ${time(m.expiresAt)}`),
      el('p', {}, `Delivered ${m.delivered}, claimed ${m.claimed}, removed ${m.removed}. State: ${state(m)}`),
      m.deletedAt || !canWrite(session) ? null : el('button', { type: 'button', class: 'danger', id: 'global-retract',
        onclick: () => confirmRetract(m) }, 'Retract…'),
      el('p', { id: 'global-retract-result', role: 'status' }), timelineStatus, chart));
    // The detail sits above the list: focus goes there, so the next Tab reaches its Retract button.
    heading.focus();
    timeline(m.globalMailId, chart, timelineStatus);
  }

  async function timeline(id, holder, out) {
    try {
      const tl = await api('GET', `/admin/global-mail/${id}/timeline`);
      const sum = (a) => a.reduce((x, y) => x + y, 0);
      const per = tl.bucketMs === 60000 ? 'minute' : 'hour';
      // A quiet bucket on each side: a mail whose copies all fell in one minute still draws as a peak.
      const t = tl.t.length ? [tl.t[0] - tl.bucketMs, ...tl.t, tl.t[tl.t.length - 1] + tl.bucketMs] : [];
      const pad = (a) => (a.length ? [0, ...a, 0] : []);
      timeChart(holder, `Copies per ${per}`, t, [{ label: 'delivered', values: pad(tl.delivered) },
        { label: 'opened', values: pad(tl.opened) }, { label: 'claimed', values: pad(tl.claimed) }]);
      out.textContent = `Over time: delivered ${sum(tl.delivered)}, opened ${sum(tl.opened)}, claimed ${sum(tl.claimed)}`;
    } catch (e) {
      out.textContent = `No timeline: ${errorText(e)}`;
    }
  }

  function confirmRetract(m) {
    const box = el('div', { class: 'panel confirm', id: 'global-retract-confirm' },
      el('p', {}, `Retract global mail ${m.globalMailId} “${m.title}”? Nobody receives it after this; `
        + 'unclaimed copies are withdrawn (per the retract policy).'),
      el('button', { type: 'button', class: 'danger', id: 'global-retract-confirm-button', onclick: () => retract(m, box) },
        'Confirm retraction'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Cancel'));
    detail.append(box);
  }

  async function retract(m, box) {
    box.remove();
    const out = document.getElementById('global-retract-result');
    try {
      await api('DELETE', `/admin/global-mail/${m.globalMailId}`);
      out.className = 'ok';
      out.textContent = `Global mail ${m.globalMailId} retracted`;
      load(null);
    } catch (e) {
      out.className = 'error';
      out.textContent = `Not retracted: ${errorText(e)}`;
    }
  }

  more.addEventListener('click', () => load(cursor));
  load(null);
  return null;
}

function state(m) {
  if (m.deletedAt) return m.withdrawnAt ? 'retracted' : 'retracted (withdrawing)';
  if (m.expiresAt < Date.now()) return 'expired';
  return m.startsAt > Date.now() ? 'scheduled' : 'live';
}

function describe(t) {
  if (!t) return '';
  const parts = Object.entries(t).filter(([k]) => k !== 'type').map(([k, v]) => `${k}=${v}`);
  return parts.length ? `${t.type} (${parts.join(', ')})` : t.type;
}
