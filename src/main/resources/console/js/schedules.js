// Scheduled campaigns: the list; a new schedule, whose next five runs are shown (from the server's
// preview) before it can be saved; one schedule's detail with what each run sent; deletion.
// Preview freezes the request as the form says it and Save stores exactly that, never the form as
// it is by then: an edit after the preview disables Save until the next preview.
import { api, el, table, time, errorText, canWrite, label } from './api.js';

const TARGETS = ['users', 'all', 'all_to_date', 'online'];

export function schedules(view, session) {
  const writer = canWrite(session);
  const f = {
    name: el('input', { id: 'schedule-name', size: 30, maxlength: 128 }),
    cron: el('input', { id: 'schedule-cron', size: 16, placeholder: '0 9 * * 1-5' }),
    timezone: el('input', { id: 'schedule-timezone', size: 22, value: 'UTC', list: 'schedule-zones' }),
    startsAt: el('input', { id: 'schedule-starts-at', type: 'datetime-local' }),
    endsAt: el('input', { id: 'schedule-ends-at', type: 'datetime-local' }),
    type: el('select', { id: 'schedule-type' }, TARGETS.map((t) => el('option', { value: t }, t))),
    uids: el('input', { id: 'schedule-uids', size: 30, placeholder: '42, 43' }),
    title: el('input', { id: 'schedule-title', size: 40, maxlength: 128 }),
    body: el('textarea', { id: 'schedule-body' }),
  };
  const zones = el('datalist', { id: 'schedule-zones' },
    (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : ['UTC']).map((z) => el('option', { value: z })));
  const uidsRow = el('div', { class: 'row' }, label('Player uids (comma-separated)', f.uids));
  f.type.addEventListener('change', () => { uidsRow.hidden = f.type.value !== 'users'; });
  const form = el('div', { id: 'schedule-form', class: 'panel' }, el('h2', {}, 'New schedule'),
    el('div', { class: 'row' }, label('Name', f.name), label('Cron (minute hour day month weekday)', f.cron),
      label('Time zone', f.timezone), zones),
    el('div', { class: 'row' }, label('First run not before', f.startsAt), label('No run from', f.endsAt)),
    el('div', { class: 'row' }, label('Target', f.type)), uidsRow,
    el('div', { class: 'row' }, label('Title', f.title)), el('div', { class: 'row' }, label('Body', f.body)),
    el('button', { type: 'button', id: 'schedule-preview-button', onclick: () => doPreview() }, 'Preview runs'),
    el('div', { id: 'schedule-preview' }));
  const preview = form.querySelector('#schedule-preview');
  const result = el('p', { id: 'schedule-result', role: 'status' });
  const detail = el('div', { id: 'schedule-detail' });
  const list = el('div', { id: 'schedule-list' });
  const more = el('button', { type: 'button', class: 'secondary', id: 'schedule-more', hidden: true }, 'More');
  const status = el('p', { class: 'muted', id: 'schedule-status' });
  view.append(el('h1', {}, 'Schedules'), status, detail, list, more, form, result);

  let edits = 0;
  let shown = null; // the preview on show: {req, edits, save, note}
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);

  function edited() {
    edits += 1;
    if (shown && shown.edits !== edits) {
      if (shown.save) shown.save.disabled = true;
      shown.note.textContent = 'The form changed after this preview: preview again to save what it says now.';
    }
  }

  function request() {
    const target = { type: f.type.value };
    if (target.type === 'users') target.uids = [...new Set(f.uids.value.split(/[\s,]+/).filter(Boolean))];
    const req = { name: f.name.value, cron: f.cron.value.trim(), timezone: f.timezone.value.trim() || 'UTC',
      mail: { target, title: f.title.value, body: f.body.value } };
    if (f.startsAt.value) req.startsAt = new Date(f.startsAt.value).getTime();
    if (f.endsAt.value) req.endsAt = new Date(f.endsAt.value).getTime();
    return req;
  }

  async function doPreview() {
    result.textContent = '';
    const p = { req: Object.freeze(request()), edits };
    const q = new URLSearchParams({ cron: p.req.cron, timezone: p.req.timezone });
    if (p.req.startsAt !== undefined) q.set('startsAt', p.req.startsAt);
    if (p.req.endsAt !== undefined) q.set('endsAt', p.req.endsAt);
    let runs;
    try {
      runs = await api('GET', `/admin/schedules/preview?${q}`);
    } catch (e) {
      shown = null;
      preview.replaceChildren(el('p', { class: 'error', id: 'schedule-preview-error' }, `No preview: ${errorText(e)}`));
      return;
    }
    p.note = el('p', { class: 'muted', id: 'schedule-save-note', role: 'status' });
    p.save = writer ? el('button', { type: 'button', id: 'schedule-save-button', onclick: () => save(p) },
      'Save schedule') : null;
    preview.replaceChildren(el('div', { class: 'panel confirm', id: 'schedule-runs-preview' },
      el('p', {}, `The next ${runs.runs.length} runs of “${p.req.name}” (${runs.cron}, ${runs.timezone}):`),
      runs.runs.length ? el('ol', { id: 'schedule-next-runs' }, runs.runs.map((ms) => el('li', {},
        `${zoned(ms, runs.timezone)} (your time: ${time(ms)})`)))
        : el('p', { class: 'notice' }, 'None: this rule never runs.'),
      p.req.mail.target.type === 'users' ? `Each run sends “${p.req.mail.title}” to players ${p.req.mail.target.uids
        .join(', ')}.` : `Each run sends “${p.req.mail.title}” to ${p.req.mail.target.type}.`,
      writer ? el('p', {}, p.save) : el('p', { class: 'muted', id: 'schedule-viewer-note' },
        'Your role (viewer) may preview runs but not save schedules.'),
      p.note));
    shown = p;
  }

  async function save(p) {
    if (p !== shown || p.edits !== edits) return;
    p.save.disabled = true;
    try {
      const r = await api('POST', '/admin/schedules', p.req);
      shown = null;
      preview.replaceChildren();
      result.className = 'ok';
      result.textContent = `Saved: schedule ${r.scheduleId}, first run ${zoned(r.nextRunAt, p.req.timezone)}`;
      await load(null);
      open(r.scheduleId);
    } catch (e) {
      p.save.disabled = false;
      result.className = 'error';
      result.textContent = `Not saved: ${errorText(e)}`;
    }
  }

  let rows = [];
  async function load(cursor) {
    try {
      const page = await api('GET', `/admin/schedules?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      rows = cursor ? rows.concat(page.schedules) : page.schedules;
      render();
      more.hidden = !page.nextCursor;
      more.onclick = () => load(page.nextCursor);
      status.textContent = `${rows.length} shown`;
    } catch (e) {
      status.textContent = errorText(e);
    }
  }

  // Run times in the schedule's own zone: that is where its cron is read.
  function render() {
    list.replaceChildren(rows.length === 0 ? el('p', { class: 'muted' }, 'No schedules') : table('schedule-table', [
      ['Id', (s) => s.scheduleId], ['Name', (s) => s.name], ['Cron', (s) => s.cron], ['Time zone', (s) => s.timezone],
      ['Next run', (s) => zoned(s.nextRunAt, s.timezone)], ['Last run', (s) => zoned(s.lastRunAt, s.timezone)],
    ], rows, (s) => open(s.scheduleId)));
  }

  async function open(id) {
    let s;
    try {
      s = await api('GET', `/admin/schedules/${id}`);
    } catch (e) {
      detail.replaceChildren(el('p', { class: 'error' }, errorText(e)));
      return;
    }
    // The list shows what the detail just read, so the two never disagree.
    if (rows.some((r) => r.scheduleId === s.scheduleId)) {
      rows = s.deletedAt ? rows.filter((r) => r.scheduleId !== s.scheduleId)
        : rows.map((r) => (r.scheduleId === s.scheduleId ? s : r));
      render();
    }
    const tz = s.timezone;
    const heading = el('h2', { tabindex: -1 }, `Schedule ${s.scheduleId}: ${s.name}`);
    detail.replaceChildren(el('div', { class: 'panel', id: `schedule-detail-${s.scheduleId}` }, heading,
      el('p', {}, `${s.cron} in ${s.timezone}`, s.startsAt ? `, from ${time(s.startsAt)}` : '',
        s.endsAt ? `, until ${time(s.endsAt)}` : '', `. Created by ${s.createdBy} ${time(s.createdAt)}.`),
      el('p', {}, `Sends “${s.mail.title}” to ${describe(s.mail.target)}.`),
      el('p', { id: 'schedule-times' }, `Last run: ${zoned(s.lastRunAt, tz) || 'none yet'}. Next run: `,
        s.deletedAt ? `none (deleted ${time(s.deletedAt)})` : zoned(s.nextRunAt, tz) || 'none left',
        s.pendingRunAt ? `. Run of ${zoned(s.pendingRunAt, tz)} under way.` : '.'),
      s.runs.length === 0 ? el('p', { class: 'muted', id: 'schedule-no-runs' }, 'No run yet') : table('schedule-runs-table', [
        ['Run', (r) => zoned(r.runAt, tz)], ['Status', (r) => r.status], ['Sent', (r) => sent(r.result)],
        ['Error', (r) => r.error || ''], ['Node', (r) => r.node || ''],
      ], s.runs),
      s.deletedAt || !writer ? null : el('button', { type: 'button', class: 'danger', id: 'schedule-delete',
        onclick: () => confirmDelete(s) }, 'Delete…'),
      el('p', { id: 'schedule-delete-result', role: 'status' })));
    heading.focus();
  }

  function confirmDelete(s) {
    const box = el('div', { class: 'panel confirm', id: 'schedule-delete-confirm' },
      el('p', {}, `Delete schedule ${s.scheduleId} “${s.name}”? It runs no more; what it sent stays sent.`),
      el('button', { type: 'button', class: 'danger', id: 'schedule-delete-confirm-button', onclick: async () => {
        box.remove();
        const out = document.getElementById('schedule-delete-result');
        try {
          await api('DELETE', `/admin/schedules/${s.scheduleId}`);
          await load(null);
          await open(s.scheduleId);
          const done = document.getElementById('schedule-delete-result');
          done.className = 'ok';
          done.textContent = `Schedule ${s.scheduleId} deleted`;
        } catch (e) {
          out.className = 'error';
          out.textContent = `Not deleted: ${errorText(e)}`;
        }
      } }, 'Confirm deletion'), ' ',
      el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Cancel'));
    detail.firstChild.append(box);
  }

  load(null);
  return null;
}

// An instant as the clocks of tz show it, with the zone's abbreviation (EST, EDT).
function zoned(ms, tz) {
  return ms ? new Date(ms).toLocaleString(undefined, { timeZone: tz, timeZoneName: 'short' }) : '';
}

function sent(result) {
  if (!result) return '';
  if (result.globalMailId !== undefined) return `global mail ${result.globalMailId}`;
  return `mail ids ${(result.mailIds || []).join(', ')}${result.sendId !== undefined ? ` (send ${result.sendId})` : ''}`;
}

function describe(t) {
  return t.type === 'users' ? `players ${(t.uids || []).join(', ')}` : t.type;
}
