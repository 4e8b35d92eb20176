// A send's text in one of its three forms: one title and body; a title and body per language with a
// default language (each player is shown theirs); or a template with its params, one `name=value`
// a line. Values are plain text: nothing here is ever markup.
import { el, label } from './api.js';

// onEdit: called when a language row is removed (typing is seen by the form's own input events).
export function contentEditor(prefix, onEdit) {
  const form = el('select', { id: `${prefix}-text-form` },
    el('option', { value: 'plain' }, 'One language'), el('option', { value: 'texts' }, 'Several languages'),
    el('option', { value: 'template' }, 'Template'));
  const title = el('input', { id: `${prefix}-title`, size: 50, maxlength: 128 });
  const body = el('textarea', { id: `${prefix}-body` });
  const defaultLocale = el('input', { id: `${prefix}-default-locale`, size: 8, value: 'en' });
  const locales = localeRows(prefix, onEdit);
  const template = el('input', { id: `${prefix}-template`, size: 30, maxlength: 64 });
  const params = el('textarea', { id: `${prefix}-params`, placeholder: 'gold=100' });
  locales.add('en', '', '');
  const plainBox = el('div', {}, el('div', { class: 'row' }, label('Title', title)),
    el('div', { class: 'row' }, label('Body', body)));
  const textsBox = el('div', { hidden: true }, el('div', { class: 'row' }, label('Default language', defaultLocale)),
    locales.element);
  const templateBox = el('div', { hidden: true }, el('div', { class: 'row' }, label('Template id', template),
    label('Params (name=value, one a line)', params)));
  form.addEventListener('change', () => {
    plainBox.hidden = form.value !== 'plain';
    textsBox.hidden = form.value !== 'texts';
    templateBox.hidden = form.value !== 'template';
  });

  return {
    element: el('div', {}, el('div', { class: 'row' }, label('Text', form)), plainBox, textsBox, templateBox),
    // Puts the text of the form into a send body.
    apply(req) {
      if (form.value === 'plain') {
        Object.assign(req, { title: title.value, body: body.value });
      } else if (form.value === 'texts') {
        Object.assign(req, { texts: locales.texts(), defaultLocale: defaultLocale.value.trim() });
      } else {
        const p = {};
        params.value.split('\n').map((l) => l.trim()).filter(Boolean).forEach((l) => {
          const at = l.indexOf('=');
          p[at < 0 ? l : l.slice(0, at).trim()] = at < 0 ? '' : l.slice(at + 1).trim();
        });
        Object.assign(req, { template: template.value.trim(), params: p });
      }
      return req;
    },
  };
}

// A title and body per language, with Add and Remove: {element, add(tag, title, body), clear(), texts()}.
// Rows are numbered from 1 again after clear(), so ids (PREFIX-locale-title-N) follow what is shown.
export function localeRows(prefix, onRemove) {
  const rows = el('div', { id: `${prefix}-locales` });
  let n = 0;
  const add = (tag, title, body) => {
    n += 1;
    const row = el('div', { class: 'row locale-text', id: `${prefix}-locale-${n}` },
      label('Language', el('input', { id: `${prefix}-locale-tag-${n}`, size: 8, value: tag, placeholder: 'fr' })),
      label('Title', el('input', { id: `${prefix}-locale-title-${n}`, size: 40, maxlength: 128, value: title })),
      label('Body', el('textarea', { id: `${prefix}-locale-body-${n}` }, body)),
      el('button', { type: 'button', class: 'secondary', onclick: () => {
        row.remove();
        if (onRemove) onRemove();
      } }, 'Remove'));
    rows.append(row);
  };
  return {
    element: el('div', {}, rows, el('button', { type: 'button', class: 'secondary', id: `${prefix}-add-locale`,
      onclick: () => add('', '', '') }, 'Add a language')),
    add,
    clear() {
      rows.replaceChildren();
      n = 0;
    },
    texts() {
      const out = {};
      rows.querySelectorAll('.locale-text').forEach((row) => {
        const [tag, title, body] = row.querySelectorAll('input, textarea');
        if (tag.value.trim()) out[tag.value.trim()] = { title: title.value, body: body.value };
      });
      return out;
    },
  };
}

// What a send body's text says, for a preview: its title, or its default language's, or its template.
export function headline(req) {
  if (req.template !== undefined) return `template ${req.template}`;
  if (req.texts !== undefined) return (req.texts[req.defaultLocale] || {}).title || '';
  return req.title;
}
