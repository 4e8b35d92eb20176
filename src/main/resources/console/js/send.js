// Send mail: to players, a segment, everyone, everyone-to-date or online, with attachments,
// startsAt and time to live. Preview freezes the request and shows it with its audience; Confirm
// sends that frozen request, never the form as it is by then. One idempotency key goes with a
// prepared send, so a double click, or a retry after an answer was lost, is still one mail.
import { api, el, errorText, canWrite, label } from './api.js';
import { contentEditor, headline } from './content.js';
import { recallSendButton } from './sends.js';

export function send(view, session) {
  const writer = canWrite(session);
  const f = {
    type: el('select', { id: 'send-type' }, ['users', 'segment', 'all', 'all_to_date', 'online']
      .map((t) => el('option', { value: t }, t))),
    uids: el('input', { id: 'send-uids', size: 40, placeholder: '42, 43' }),
    zone: el('input', { id: 'send-zone', size: 10 }),
    minLevel: el('input', { id: 'send-min-level', type: 'number', size: 5 }),
    maxLevel: el('input', { id: 'send-max-level', type: 'number', size: 5 }),
    tags: el('input', { id: 'send-tags', size: 16, placeholder: 'vip, beta' }),
    from: el('input', { id: 'send-from', size: 20, placeholder: 'system' }),
    startsAt: el('input', { id: 'send-starts-at', type: 'datetime-local' }),
    ttl: el('input', { id: 'send-ttl', type: 'number', size: 10, placeholder: 'default' }),
  };
  const text = contentEditor('send', () => edited());
  const attachments = el('div', { id: 'send-attachments' });
  const usersRow = el('div', { class: 'row' }, label('Player uids (comma-separated)', f.uids));
  const segmentRow = el('div', { class: 'row', hidden: true }, label('Zone', f.zone), label('Min level', f.minLevel),
    label('Max level', f.maxLevel), label('Tags (all of)', f.tags));
  const previewButton = el('button', { type: 'button', id: 'send-preview-button', onclick: () => doPreview() },
    'Preview audience');
  const preview = el('div', { id: 'send-preview' });
  const result = el('p', { id: 'send-result', role: 'status' });
  const sent = el('div', { id: 'send-sent' });
  f.type.addEventListener('change', () => {
    usersRow.hidden = f.type.value !== 'users';
    segmentRow.hidden = f.type.value !== 'segment';
  });
  const form = el('div', { id: 'send-form' },
    el('div', { class: 'row' }, label('Target', f.type)), usersRow, segmentRow,
    text.element, el('div', { class: 'row' }, label('From', f.from)),
    el('h2', {}, 'Attachments'), attachments,
    el('button', { type: 'button', class: 'secondary', id: 'send-add-attachment',
      onclick: () => addAttachment(attachments, edited) }, 'Add attachment'),
    el('div', { class: 'row' }, label('Starts at (hidden until)', f.startsAt), label('Time to live (seconds)', f.ttl)));
  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  view.append(el('h1', {}, 'Send mail'),
    writer ? '' : el('p', { class: 'muted', id: 'send-viewer-note' },
      'Your role (viewer) may preview the audience but not send.'),
    form, previewButton, result, sent, preview);

  let edits = 0; // every change of the form counts
  let key = null; // the idempotency key of the send being prepared: new after an edit or a success
  let shown = null; // the preview on show: {req, key, edits, confirm, note}
  let sending = false;

  function edited() {
    edits += 1;
    key = null;
    if (shown) stale(shown);
  }

  function stale(p) {
    if (p.edits === edits) return;
    if (p.confirm) p.confirm.disabled = true;
    p.note.textContent = 'The form changed after this preview: preview again to send what it says now.';
  }

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
    const body = text.apply({ target });
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
    if (sending) return;
    result.textContent = '';
    // Frozen here: what the panel shows is what Confirm sends, whatever the form says later.
    const p = { req: Object.freeze(request()), edits };
    let matches;
    try {
      matches = p.req.target.type === 'users' ? p.req.target.uids.length
        : (await api('POST', '/admin/global-mail/preview', { target: p.req.target })).matches;
    } catch (e) {
      shown = null;
      preview.replaceChildren(el('p', { class: 'error', id: 'send-preview-error' }, `No preview: ${errorText(e)}`));
      return;
    }
    if (sending) return;
    if (!key && p.edits === edits) key = newKey();
    p.key = key;
    showPanel(p, matches);
  }

  function showPanel(p, matches) {
    const req = p.req;
    const what = req.target.type === 'online' ? 'players online now' : req.target.type === 'users'
      ? 'players' : 'players registered now (later ones too, when they qualify)';
    p.note = el('p', { class: 'muted', id: 'send-confirm-note', role: 'status' });
    p.confirm = writer ? el('button', { type: 'button', id: 'send-confirm-button', onclick: () => doSend(p) },
      'Confirm and send') : null;
    preview.replaceChildren(el('div', { class: 'panel confirm', id: 'send-confirm' },
      el('p', { id: 'send-audience' }, `“${headline(req)}” reaches ${matches} ${what}`,
        req.attachments ? `, with ${req.attachments.length} attachment(s)` : '', '.'),
      describe(req),
      writer ? [p.confirm, ' ', el('button', { type: 'button', class: 'secondary', id: 'send-cancel',
        onclick: () => { shown = null; preview.replaceChildren(); } }, 'Cancel')] : '',
      p.note));
    shown = p;
    stale(p);
  }

  async function doSend(p) {
    // The button is disabled at the first click, so a double click asks once; the key makes a
    // repeat that does reach the server (a retry after a lost answer) answer the first result.
    if (sending || p !== shown || p.edits !== edits) return;
    sending = true;
    p.confirm.disabled = true;
    p.confirm.textContent = 'Sending…';
    previewButton.disabled = true;
    result.textContent = '';
    sent.replaceChildren();
    try {
      const r = await api('POST', '/admin/mail', p.req, { 'Idempotency-Key': p.key });
      key = null;
      shown = null;
      preview.replaceChildren();
      result.className = 'ok';
      result.textContent = r.globalMailId !== undefined ? `Sent: global mail ${r.globalMailId}`
        : `Sent: mail ids ${r.mailIds.join(', ')}`;
      showSent(r);
    } catch (e) {
      result.className = 'error';
      if (e.retryable) {
        result.textContent = `Maybe not sent: ${errorText(e)}. Retrying sends this mail once at most.`;
        p.confirm.textContent = 'Retry send';
        p.confirm.disabled = p.edits !== edits;
      } else {
        result.textContent = `Not sent: ${errorText(e)}`;
        shown = null;
        preview.replaceChildren();
      }
    } finally {
      sending = false;
      previewButton.disabled = false;
    }
  }

  // A send to players can be looked at and taken back as a whole, by its sendId.
  function showSent(r) {
    if (r.sendId === undefined) return;
    const recalled = el('p', { id: 'send-recall-result', role: 'status' });
    sent.replaceChildren(el('div', { class: 'panel' },
      el('p', { id: 'send-sent-id' }, 'Send ', el('a', { href: `#/sends/${r.sendId}`, id: 'send-sent-link' },
        String(r.sendId))),
      writer ? recallSendButton(r.sendId, 'send', recalled) : '', recalled));
  }
}

// 128 random bits, in hex: printable ASCII as the server wants, and never the same twice.
function newKey() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The frozen request as it will be sent, apart from the target (the audience line says it).
function describe(req) {
  const languages = req.texts ? Object.keys(req.texts).join(', ') : null;
  const rows = [['Title', headline(req)], ['Body', req.body ?? (languages ? `in ${languages}` : 'from the template')],
    ['From', req.from || 'system'],
    ['Starts at', req.startsAt ? new Date(req.startsAt).toLocaleString() : 'now'],
    ['Time to live', req.ttlSeconds ? `${req.ttlSeconds} s` : 'default'],
    ['Attachments', (req.attachments || []).map((a) => `${a.amount} × ${a.type} ${a.id}`).join(', ') || 'none']];
  return el('dl', { id: 'send-preview-request' }, rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function addAttachment(container, edited) {
  const row = el('div', { class: 'row attachment' },
    label('Type', el('select', {}, el('option', { value: 'currency' }, 'currency'), el('option', { value: 'item' }, 'item'))),
    label('Id', el('input', { class: 'att-id', size: 12 })),
    label('Amount', el('input', { class: 'att-amount', type: 'number', min: 1, value: 1, size: 8 })));
  row.append(el('button', { type: 'button', class: 'secondary', onclick: () => { row.remove(); edited(); } }, 'Remove'));
  container.append(row);
  edited();
}
