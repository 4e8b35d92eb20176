// Nodes with their sessions and addresses, queue depths and the grant backlog, refreshed every 2 s.
import { api, el, table, errorText } from './api.js';

export function dashboard(view) {
  const body = el('div', { id: 'dashboard-body' }, 'Loading…');
  const status = el('p', { class: 'muted', id: 'dashboard-updated' });
  view.append(el('h1', {}, 'Dashboard'), status, body);
  let stopped = false;
  async function refresh() {
    try {
      const s = await api('GET', '/admin/stats');
      const sessions = new Map((s.nodes || []).map((n) => [n.node, n.sessions]));
      const q = s.queues || {};
      body.replaceChildren(
        el('div', { class: 'cards' },
          card('Cluster members', s.clusterMembers, 'card-members'),
          card('Sessions', [...sessions.values()].reduce((a, b) => a + (b || 0), 0), 'card-sessions'),
          card('Global mail queued', q.globalQueued, 'card-queued'),
          card('Global mail in flight', q.globalInFlight, 'card-inflight'),
          card('Grants not acknowledged', q.grantsUnacknowledged, 'card-grants')),
        el('h2', {}, 'Nodes'),
        table('dashboard-nodes', [
          ['Node', (m) => m.node + (m.self ? ' (this one)' : '')],
          ['Address', (m) => m.address || ''],
          ['Reachable', (m) => (m.reachable ? `yes (${m.rttMs} ms)` : 'NO')],
          ['Sessions', (m) => (sessions.has(m.node) ? sessions.get(m.node) ?? 'restoring' : '—')],
        ], s.members || []));
      status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      status.textContent = errorText(e);
    }
    if (!stopped) timer = setTimeout(refresh, 2000);
  }
  let timer = null;
  refresh();
  return () => { stopped = true; clearTimeout(timer); };
}

function card(label, n, id) {
  return el('div', { class: 'card', id }, el('div', { class: 'n' }, n === null || n === undefined ? '—' : n),
    el('div', { class: 'muted' }, label));
}
