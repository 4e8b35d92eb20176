// The admin API, called with the console's session cookie. Writes carry the session's CSRF token;
// errors become exceptions with the API's code, message and request id.
let csrfToken = null;

export function setCsrf(token) {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || `HTTP_${status}`;
    this.requestId = e.requestId || '';
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

// el('td', {class: 'x'}, 'text', child...): DOM without innerHTML, so nothing from the API is ever markup.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function time(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function errorText(e) {
  return e instanceof ApiError ? `${e.code}: ${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}` : String(e);
}

// A table of rows; columns are [header, row => cell].
export function table(id, columns, rows, onClick) {
  return el('table', { id },
    el('thead', {}, el('tr', {}, columns.map(([h]) => el('th', {}, h)))),
    el('tbody', {}, rows.map((r) => el('tr', onClick ? { class: 'clickable', onclick: () => onClick(r) } : {},
      columns.map(([, f]) => el('td', {}, f(r)))))));
}
