// The admin API, called with the console's session cookie. Writes carry the session's CSRF token.
// Whatever comes back (the API's JSON error, a proxy's HTML page, no answer at all) a failure is an
// ApiError with a status (0 when nothing answered), a code and a short plain text, so every page
// can show it the same way.
let csrfToken = null;
let sessionEnded = null;

// Long enough for a slow send to be answered; short enough that a lost answer is not waited on forever.
const TIMEOUT_MS = 30000;

export function setCsrf(token) {
  csrfToken = token;
}

// Called on any 401: the session expired, or was signed out or its operator removed elsewhere.
export function whenSessionEnds(fn) {
  sessionEnded = fn;
}

// The server refuses viewers' writes anyway; the pages only spare them buttons that cannot work.
export function canWrite(session) {
  return session.role === 'operator' || session.role === 'admin';
}

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId || '';
  }

  // Nothing, or a passing failure, answered: the write may or may not have happened, and asking
  // again (with the same idempotency key) is how to find out.
  get retryable() {
    return this.status === 0 || this.status === 409 || this.status === 429 || this.status >= 500
      || this.code === 'NOT_JSON';
  }
}

export async function api(method, path, body, extraHeaders) {
  const headers = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let res;
  let text;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', signal: abort.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await res.text();
  } catch (e) {
    throw abort.signal.aborted ? new ApiError(0, 'TIMEOUT', `no answer within ${TIMEOUT_MS / 1000} s`)
      : new ApiError(0, 'NETWORK', 'the server could not be reached (network error)');
  } finally {
    clearTimeout(timer);
  }
  const json = parse(text);
  if (res.ok && json !== undefined) return json;
  const e = json && json.error;
  const err = !res.ok && e && e.code ? new ApiError(res.status, e.code, e.message || `HTTP ${res.status}`, e.requestId)
    : new ApiError(res.status, res.ok ? 'NOT_JSON' : `HTTP ${res.status}`,
      `${res.ok ? `HTTP ${res.status}, not JSON: ` : ''}${gist(text) || res.statusText || 'no details'}`);
  if (res.status === 401 && sessionEnded) sessionEnded(err);
  throw err;
}

function parse(text) {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}

// The plain text of an answer that is not JSON (a proxy's HTML error page), short: its markup is
// parsed into a detached document, whose scripts never run, and only its text is kept, a space
// between elements (a heading and the line under it are not one word).
function gist(text) {
  const doc = new DOMParser().parseFromString(text || '', 'text/html');
  doc.querySelectorAll('script, style').forEach((n) => n.remove());
  const parts = [];
  const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) parts.push(walk.currentNode.nodeValue);
  const s = parts.join(' ').replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
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

// A form field with its caption above it.
export function label(text, input) {
  return el('label', {}, text, input);
}

export function time(ms) {
  return ms ? new Date(ms).toLocaleString() : '';
}

export function errorText(e) {
  return e instanceof ApiError ? `${e.code}: ${e.message}${e.requestId ? ` (request ${e.requestId})` : ''}` : String(e);
}

// A table of rows; columns are [header, row => cell]. Rows that open a detail are buttons to the
// keyboard too: reached with Tab, opened with Enter or Space.
export function table(id, columns, rows, onOpen) {
  const opens = (r) => ({
    class: 'clickable', tabindex: 0, role: 'button', onclick: () => onOpen(r),
    onkeydown: (ev) => {
      if (ev.target !== ev.currentTarget || (ev.key !== 'Enter' && ev.key !== ' ')) return;
      ev.preventDefault();
      onOpen(r);
    },
  });
  return el('table', { id },
    el('thead', {}, el('tr', {}, columns.map(([h]) => el('th', {}, h)))),
    el('tbody', {}, rows.map((r) => el('tr', onOpen ? opens(r) : {},
      columns.map(([, f]) => el('td', {}, f(r)))))));
}
