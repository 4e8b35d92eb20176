// Line charts with uPlot (vendor/uplot, loaded by index.html as the global `uPlot`; no build step).
// Each chart's element says what it draws (data-series, data-points), for people and tests alike.
const COLORS = ['#2f6fd6', '#c53030', '#276749', '#975a16', '#6b46c1', '#2c7a7b', '#b83280', '#4a5568'];

// A chart of series over time: `t` in epoch ms, `series` [{label, values}] aligned with `t`
// (null where a series has no value). Redraws into the same element when called again.
export function timeChart(holder, title, t, series) {
  if (holder.chart) holder.chart.destroy();
  holder.replaceChildren();
  const opts = {
    title,
    width: Math.max(320, holder.clientWidth || 800),
    height: 220,
    scales: { x: { time: true } },
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 2, spanGaps: true }))],
  };
  holder.chart = new uPlot(opts, [t.map((ms) => ms / 1000), ...series.map((s) => s.values)], holder);
  holder.dataset.series = String(series.length);
  holder.dataset.points = String(t.length);
}

// Several nodes' samples on one time axis: the union of their times, null where a node has none.
export function alignByTime(nodes, field) {
  const times = [...new Set(Object.values(nodes).flatMap((n) => n.t))].sort((a, b) => a - b);
  const index = new Map(times.map((ms, i) => [ms, i]));
  const series = Object.entries(nodes).sort(([a], [b]) => a.localeCompare(b)).map(([node, n]) => {
    const values = new Array(times.length).fill(null);
    n.t.forEach((ms, i) => { values[index.get(ms)] = n[field][i]; });
    return { label: node, values };
  });
  return { t: times, series };
}

export function destroyChart(holder) {
  if (holder && holder.chart) holder.chart.destroy();
}
