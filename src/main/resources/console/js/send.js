// Send mail: to players, a segment, everyone, everyone-to-date or online, with attachments,
// startsAt and time to live; an audience preview first, then a confirmation.
import { api, el, errorText } from './api.js';

export function send(view, session) {
  const f = {
    type: el('select', { id: 'send-type' }, ['users', 'segment', 'all', 'all_to_date', 'online']
      .map((t) => el('option', { value: t }, t))),
    uids: el('input', { id: 'send-uids', size: 40, placeholder: '42, 43' }),
    zone: el('input', { id: 'send-zone', size: 10 }),
    minLevel: el('input', { id: 'send-min-level', type: 'number', size: 5 }),
    maxLevel: el('input', { id: 'send-max-level', type: 'number', size: 5 }),
    tags: el('input', { id: 'send-tags', size: 16, placeholder: 'vip, beta' }),
    title: el('input', { id: 'send-title', size: 50, maxlength: 128 }),
    body: el('textarea', { id: 'send-body' }),
    from: el('input', { id: 'send-from', size: 20, placeholder: 'system' }),
    startsAt: el('input', { id: 'send-starts-at', type: 'datetime-local' }),
    ttl: el('input', { id: 'send-ttl', type: 'number', size: 10, placeholder: 'default' }),
  };
  const attachments = el('div', { id: 'send-attachments' });
  const usersRow = el('div', { class: 'row' }, label('Player uids (comma-separated)', f.uids));
  const segmentRow = el('div', { class: 'row', hidden: true }, label('Zone', f.zone), label('Min level', f.minLevel),
    label('Max level', f.maxLevel), label('Tags (all of)', f.tags));
  const preview = el('div', { id: 'send-preview' });
  const result = el('p', { id: 'send-result', role: 'status' });
  f.type.addEventListener('change', () => {
    usersRow.hidden = f.type.value !== 'users';
    segmentRow.hidden = f.type.value !== 'segment';
    preview.replaceChildren();
  });
  view.append(el('h1', {}, 'Send mail'),
    session.role === 'viewer' ? el('p', { class: 'muted', id: 'send-viewer-note' },
      'Your role (viewer) may preview but not send: the server refuses it.') : '',
    el('div', { class: 'row' }, label('Target', f.type)), usersRow, segmentRow,
    el('div', { class: 'row' }, label('Title', f.title), label('From', f.from)),
    el('div', { class: 'row' }, label('Body', f.body)),
    el('h2', {}, 'Attachments'), attachments,
    el('button', { type: 'button', class: 'secondary', id: 'send-add-attachment', onclick: () => addAttachment(attachments) },
      'Add attachment'),
    el('div', { class: 'row' }, label('Starts at (hidden until)', f.startsAt), label('Time to live (seconds)', f.ttl)),
    el('button', { type: 'button', id: 'send-preview-button', onclick: () => doPreview() }, 'Preview audience'),
    preview, result);

  function request() {
    const type = f.type.value;
    const target = { type };
    if (type === 'users') {
      target.uids = [...new Set(f.uids.value.split(/[\s,]+/).filter(Boolean))];
    } else if (type === 'segment') {
      if (f.zone.value) target.zone = f.zone.value;
      if (f.minLevel.value) target.minLevel = Number(f.minLevel.value);
      if (f.maxLevel.value) target.maxLevel = Number(f.maxLevel.value);
      const tags = f.tags.value.split(/[\s,]+/).filter(Boolean);
      if (tags.length) target.tags = tags;
    }
    const body = { target, title: f.title.value, body: f.body.value };
    if (f.from.value) body.from = f.from.value;
    if (f.startsAt.value) body.startsAt = new Date(f.startsAt.value).getTime();
    if (f.ttl.value) body.ttlSeconds = Number(f.ttl.value);
    const att = [...attachments.querySelectorAll('.attachment')].map((row) => ({
      type: row.querySelector('select').value, id: row.querySelector('.att-id').value,
      amount: Number(row.querySelector('.att-amount').value),
    }));
    if (att.length) body.attachments = att;
    return body;
  }

  async function doPreview() {
    result.textContent = '';
    const req = request();
    let matches;
    try {
      matches = req.target.type === 'users' ? req.target.uids.length
        : (await api('POST', '/admin/global-mail/preview', { target: req.target })).matches;
    } catch (e) {
      preview.replaceChildren(el('p', { class: 'error' }, errorText(e)));
      return;
    }
    const what = req.target.type === 'online' ? 'players online now' : req.target.type === 'users'
      ? 'players' : 'players registered now (later ones too, when they qualify)';
    preview.replaceChildren(el('div', { class: 'panel confirm', id: 'send-confirm' },
      el('p', { id: 'send-audience' }, `“${req.title}” reaches ${matches} ${what}`,
        req.attachments ? `, with ${req.attachments.length} attachment(s)` : '', '.'),
      el('button', { type: 'button', id: 'send-confirm-button', onclick: () => doSend(req) }, 'Confirm and send'), ' ',
      el('button', { type: 'button', class: 'secondary', id: 'send-cancel', onclick: () => preview.replaceChildren() },
        'Cancel')));
  }

  async function doSend(req) {
    preview.replaceChildren();
    try {
      const r = await api('POST', '/admin/mail', req);
      result.className = 'ok';
      result.textContent = r.globalMailId !== undefined ? `Sent: global mail ${r.globalMailId}`
        : `Sent: mail ids ${r.mailIds.join(', ')}`;
    } catch (e) {
      result.className = 'error';
      result.textContent = `Not sent: ${errorText(e)}`;
    }
  }
}

function addAttachment(container) {
  const row = el('div', { class: 'row attachment' },
    label('Type', el('select', {}, el('option', { value: 'currency' }, 'currency'), el('option', { value: 'item' }, 'item'))),
    label('Id', el('input', { class: 'att-id', size: 12 })),
    label('Amount', el('input', { class: 'att-amount', type: 'number', min: 1, value: 1, size: 8 })));
  row.append(el('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, 'Remove'));
  container.append(row);
}

function label(text, input) {
  return el('label', {}, text, input);
}
