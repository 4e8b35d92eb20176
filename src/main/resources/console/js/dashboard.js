// Nodes with their sessions and addresses, queue depths and the grant backlog, refreshed every 2 s;
// charts of each gate node's sessions and logins per second over the last hour, redrawn each sample.
import { api, el, table, errorText } from './api.js';
import { timeChart, alignByTime, destroyChart } from './charts.js';

export function dashboard(view) {
  const body = el('div', { id: 'dashboard-body' }, 'Loading…');
  const status = el('p', { class: 'muted', id: 'dashboard-updated' });
  const sessionsChart = el('div', { class: 'chart', id: 'chart-sessions' });
  const loginsChart = el('div', { class: 'chart', id: 'chart-logins' });
  const chartStatus = el('p', { class: 'muted', id: 'dashboard-charts-status' });
  view.append(el('h1', {}, 'Dashboard'), status, body, el('h2', {}, 'The last hour'), chartStatus, sessionsChart,
    loginsChart);
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
  let chartTimer = null;
  async function charts() {
    let wait = 10000;
    try {
      const h = await api('GET', '/admin/stats/history');
      wait = Math.max(2000, h.sampleMs);
      const sessions = alignByTime(h.nodes, 'sessions');
      timeChart(sessionsChart, 'Sessions per node', sessions.t, sessions.series);
      const logins = alignByTime(h.nodes, 'loginsPerSec');
      timeChart(loginsChart, 'Logins per second per node', logins.t, logins.series);
      chartStatus.textContent = sessions.t.length ? `${sessions.series.length} node(s), one sample every ${h.sampleMs / 1000} s`
        : 'No samples yet: gate nodes record one every ' + `${h.sampleMs / 1000} s`;
    } catch (e) {
      chartStatus.textContent = `Charts: ${errorText(e)}`;
    }
    if (!stopped) chartTimer = setTimeout(charts, wait);
  }
  refresh();
  charts();
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(chartTimer);
    destroyChart(sessionsChart);
    destroyChart(loginsChart);
  };
}

function card(label, n, id) {
  return el('div', { class: 'card', id }, el('div', { class: 'n' }, n === null || n === undefined ? '—' : n),
    el('div', { class: 'muted' }, label));
}
