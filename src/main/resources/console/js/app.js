// The console's shell: sign-in, the session (role, CSRF token), navigation between pages.
import { api, setCsrf, errorText, whenSessionEnds } from './api.js';
import { dashboard } from './dashboard.js';
import { send } from './send.js';
import { globalMail } from './global.js';
import { player } from './player.js';
import { audit } from './audit.js';
import { schedules } from './schedules.js';
import { sends } from './sends.js';
import { grants } from './grants.js';
import { templates } from './templates.js';

const pages = { dashboard, send, global: globalMail, schedules, templates, grants, player, audit, sends };
const $ = (id) => document.getElementById(id);
let session = null;
let leave = null;

async function start() {
  try {
    signedIn(await api('GET', '/console/session'));
  } catch (e) {
    showSignIn();
    if (e.status !== 401) $('sign-in-error').textContent = `The server could not say who you are: ${errorText(e)}`;
  }
}

function showSignIn(message) {
  if (leave) leave();
  leave = null;
  session = null;
  setCsrf(null);
  $('nav').hidden = true;
  $('who').hidden = true;
  $('view').replaceChildren();
  $('sign-in-message').textContent = message || '';
  $('sign-in-error').textContent = '';
  $('sign-in').hidden = false;
}

function signedIn(s) {
  session = s;
  setCsrf(s.csrfToken);
  $('sign-in').hidden = true;
  $('sign-in-message').textContent = '';
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = s.name;
  $('who-role').textContent = s.role;
  route();
}

function route() {
  if (!session) return;
  if (leave) leave();
  leave = null;
  const name = (location.hash.replace(/^#\//, '').split('/')[0]) || 'dashboard';
  const page = pages[name] || dashboard;
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', a.id === `nav-${name}`));
  const view = $('view');
  view.replaceChildren();
  leave = page(view, session) || null;
}

// Only a session the page holds can end: a refused sign-in is a 401 too, and is shown as such. The
// address stays, so signing in again returns to the same page.
whenSessionEnds(() => {
  if (!session) return;
  showSignIn('Your session has ended (it expired, or was signed out or removed elsewhere). Sign in again.');
});

$('sign-in-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('sign-in-error').textContent = '';
  try {
    signedIn(await api('POST', '/console/session', {
      name: $('sign-in-name').value.trim(), password: $('sign-in-password').value,
    }));
    $('sign-in-password').value = '';
  } catch (e) {
    $('sign-in-error').textContent = errorText(e);
  }
});

$('sign-out').addEventListener('click', async () => {
  try {
    await api('DELETE', '/console/session');
    showSignIn();
  } catch (e) {
    if (session) showSignIn(`Signed out here, but the server did not confirm it: ${errorText(e)}`);
  }
});

window.addEventListener('hashchange', route);
start();
