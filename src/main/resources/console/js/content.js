// A send's text in one of its three forms: one title and body; a title and body per language with a
// default language (each player is shown theirs); or a template with its params, one `name=value`
// a line. Values are plain text: nothing here is ever markup.
import { el, label } from './api.js';

export function contentEditor(prefix) {
  const form = el('select', { id: `${prefix}-text-form` },
    el('option', { value: 'plain' }, 'One language'), el('option', { value: 'texts' }, 'Several languages'),
    el('option', { value: 'template' }, 'Template'));
  const title = el('input', { id: `${prefix}-title`, size: 50, maxlength: 128 });
  const body = el('textarea', { id: `${prefix}-body` });
  const defaultLocale = el('input', { id: `${prefix}-default-locale`, size: 8, value: 'en' });
  const locales = el('div', { id: `${prefix}-locales` });
  const template = el('input', { id: `${prefix}-template`, size: 30, maxlength: 64 });
  const params = el('textarea', { id: `${prefix}-params`, placeholder: 'gold=100' });
  let rows = 0;
  const addLocale = (tag) => {
    rows += 1;
    locales.append(el('div', { class: 'row locale-text' },
      label('Language', el('input', { id: `${prefix}-locale-tag-${rows}`, size: 8, value: tag })),
      label('Title', el('input', { id: `${prefix}-locale-title-${rows}`, size: 40, maxlength: 128 })),
      label('Body', el('textarea', { id: `${prefix}-locale-body-${rows}` }))));
  };
  addLocale('en');
  const plainBox = el('div', {}, el('div', { class: 'row' }, label('Title', title)),
    el('div', { class: 'row' }, label('Body', body)));
  const textsBox = el('div', { hidden: true }, el('div', { class: 'row' }, label('Default language', defaultLocale)),
    locales, el('button', { type: 'button', class: 'secondary', id: `${prefix}-add-locale`,
      onclick: () => addLocale('') }, 'Add a language'));
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
        const texts = {};
        locales.querySelectorAll('.locale-text').forEach((row) => {
          const [tag, t, b] = row.querySelectorAll('input, textarea');
          if (tag.value.trim()) texts[tag.value.trim()] = { title: t.value, body: b.value };
        });
        Object.assign(req, { texts, defaultLocale: defaultLocale.value.trim() });
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

// What a send body's text says, for a preview: its title, or its default language's, or its template.
export function headline(req) {
  if (req.template !== undefined) return `template ${req.template}`;
  if (req.texts !== undefined) return (req.texts[req.defaultLocale] || {}).title || '';
  return req.title;
}
