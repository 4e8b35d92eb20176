// Mail templates: the list (latest version of each), one template's versions, and an editor with a
// title and body per language. Saving stores the next version; mails already sent keep theirs.
// Placeholders are {{name}} (filled from a send's params) and {{player.name}}, {{player.uid}}.
import { api, el, table, time, errorText, canWrite, label } from './api.js';
import { localeRows } from './content.js';

export function templates(view, session) {
  const writer = canWrite(session);
  const id = el('input', { id: 'template-id', size: 30, maxlength: 64, placeholder: 'welcome' });
  const defaultLocale = el('input', { id: 'template-default-locale', size: 8, value: 'en' });
  const locales = localeRows('template');
  const save = writer ? el('button', { type: 'button', id: 'template-save', onclick: () => store() }, 'Save new version')
    : el('p', { class: 'muted', id: 'template-viewer-note' }, 'Your role (viewer) may read templates but not save them.');
  const result = el('p', { id: 'template-result', role: 'status' });
  const editor = el('div', { id: 'template-form', class: 'panel' }, el('h2', {}, 'Template'),
    el('div', { class: 'row' }, label('Id', id), label('Default language', defaultLocale)),
    locales.element, el('p', { class: 'muted' },
      'Placeholders: {{name}} takes the send\'s params.name; {{player.name}} and {{player.uid}} are each player\'s.'),
    save, result);
  const detail = el('div', { id: 'template-detail' });
  const list = el('div', { id: 'template-list' });
  const status = el('p', { class: 'muted', id: 'template-status' });
  view.append(el('h1', {}, 'Templates'), status, list, detail, editor);

  async function store() {
    save.disabled = true;
    try {
      const r = await api('PUT', `/admin/templates/${encodeURIComponent(id.value.trim())}`,
        { texts: locales.texts(), defaultLocale: defaultLocale.value.trim() });
      result.className = 'ok';
      result.textContent = `Saved: ${r.id} version ${r.version}`;
      await load();
      await open(r.id);
    } catch (e) {
      result.className = 'error';
      result.textContent = `Not saved: ${errorText(e)}`;
    } finally {
      save.disabled = false;
    }
  }

  async function load() {
    try {
      const all = (await api('GET', '/admin/templates')).templates;
      list.replaceChildren(all.length === 0 ? el('p', { class: 'muted' }, 'No templates') : table('template-table', [
        ['Id', (t) => t.id], ['Version', (t) => t.version], ['Languages', (t) => Object.keys(t.texts).join(', ')],
        ['Placeholders', (t) => t.placeholders.join(', ')], ['Saved', (t) => `${time(t.createdAt)} by ${t.createdBy}`],
      ], all, (t) => open(t.id)));
      status.textContent = `${all.length} templates`;
    } catch (e) {
      status.textContent = errorText(e);
    }
  }

  // Opens the latest version in the editor (the next save makes the version after it).
  async function open(name) {
    let t;
    try {
      t = await api('GET', `/admin/templates/${encodeURIComponent(name)}`);
    } catch (e) {
      detail.replaceChildren(el('p', { class: 'error' }, errorText(e)));
      return;
    }
    detail.replaceChildren(el('div', { class: 'panel', id: `template-detail-${t.id}` },
      el('h2', {}, `${t.id}, version ${t.version}`),
      table('template-versions', [['Version', (v) => v.version], ['Saved', (v) => time(v.createdAt)],
        ['By', (v) => v.createdBy]], t.versions)));
    id.value = t.id;
    defaultLocale.value = t.defaultLocale;
    locales.clear();
    Object.entries(t.texts).forEach(([tag, x]) => locales.add(tag, x.title, x.body));
  }

  locales.add('en', '', '');
  load();
  return null;
}
