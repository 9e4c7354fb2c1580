// newsworker dashboard: the last hour as charts (GET /v1/series) and the largest stories of the
// last 24 hours (GET /v1/stories). Inline SVG drawn here: no library, no CDN. Uses api() and
// el() from dashboard.js (loaded first). Presentation goes through SVG attributes and
// dashboard.css classes: the CSP allows no inline style.
"use strict";

const SERIES_MS = 10000;
const STORIES_MS = 30000;
const SVG = "http://www.w3.org/2000/svg";
const W = 300, H = 100, PAD_L = 34, PAD_B = 14, PAD_T = 6;
const CHARTS = [
  { id: "events", title: "events appended / min", lines: (p) => ({ appended: p.events_per_minute }) },
  { id: "queue", title: "queue depth", lines: (p) => ({ queued: p.queue_depth }) },
  { id: "lag", title: "group lag", lines: (p) => p.lags || {} },
  { id: "failures", title: "ingestion failures / min", lines: (p) => ({ failed: p.failures_per_minute }) },
  { id: "dlq", title: "dead letters", lines: (p) => ({ "dead letters": p.dead_letters }) },
];

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (m * step >= v) return m * step;
  return 10 * step;
}

function compact(v) {
  if (v === null || v === undefined) return "-";
  if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(1) + "M";
  if (Math.abs(v) >= 1e4) return (v / 1e3).toFixed(0) + "k";
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

// One chart: a line per name, broken where a value is missing (a gap in the sampling).
function drawChart(box, spec, points, start, span) {
  const names = [...new Set(points.flatMap((p) => Object.keys(spec.lines(p))))].sort();
  const values = points.flatMap((p) => Object.values(spec.lines(p)).filter((v) => v !== null));
  const top = niceMax(Math.max(0, ...values));
  const x = (t) => PAD_L + ((t - start) / span) * (W - PAD_L - 2);
  const y = (v) => PAD_T + (1 - v / top) * (H - PAD_T - PAD_B);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "chart",
    "data-chart": spec.id, "aria-label": spec.title });
  for (const [v, label] of [[0, "0"], [top, compact(top)]]) {
    chart.append(svg("line", { x1: PAD_L, x2: W - 2, y1: y(v), y2: y(v), class: "grid" }));
    const t = svg("text", { x: PAD_L - 3, y: y(v) + 3, "text-anchor": "end", class: "axis" });
    t.textContent = label;
    chart.append(t);
  }
  for (const [pos, label, anchor] of [[PAD_L, "-" + Math.round(span / 60) + " min", "start"],
    [W - 2, "now", "end"]]) {
    const t = svg("text", { x: pos, y: H - 2, "text-anchor": anchor, class: "axis" });
    t.textContent = label;
    chart.append(t);
  }
  let plotted = 0;
  names.forEach((name, i) => {
    let run = [];
    const flush = () => {
      if (run.length > 1) {
        chart.append(svg("polyline", { points: run.join(" "), class: "line c" + (i % 6),
          "data-line": name, fill: "none" }));
        plotted += run.length;
      } else if (run.length === 1) {
        const [cx, cy] = run[0].split(",");
        chart.append(svg("circle", { cx, cy, r: 1.5, class: "dot c" + (i % 6), "data-line": name }));
        plotted += 1;
      }
      run = [];
    };
    for (const p of points) {
      const v = spec.lines(p)[name];
      if (v === null || v === undefined) flush();
      else run.push(x(p.t).toFixed(1) + "," + y(v).toFixed(1));
    }
    flush();
  });
  chart.setAttribute("data-points", String(plotted));
  const last = points.length ? spec.lines(points[points.length - 1]) : {};
  const head = el("h3", spec.title);
  const now = el("span", names.map((n) => (names.length > 1 ? n + " " : "") + compact(last[n]))
    .join(" · ") || "no data yet", { class: "muted latest" });
  head.append(" ", now);
  const legend = el("p", null, { class: "legend" });
  if (names.length > 1) names.forEach((n, i) => legend.append(el("span", n, { class: "key c" + (i % 6) })));
  box.replaceChildren(head, chart, legend);
}

async function refreshSeries() {
  try {
    const s = await api("/v1/series");
    const start = s.now - s.window_s;
    for (const spec of CHARTS) {
      drawChart(document.getElementById("chart-" + spec.id), spec, s.points, start, s.window_s);
    }
    setText("series-note", s.points.length + " point(s), one per " + s.interval_s + " s at most");
  } catch (err) {
    setText("series-note", String(err.message || err));
  } finally {
    setTimeout(refreshSeries, SERIES_MS);
  }
}

async function refreshStories() {
  try {
    const since = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const r = await api("/v1/stories?limit=10&since=" + encodeURIComponent(since));
    fillTable("stories", r.stories.map((d) => [
      el("td", d.size, { class: "num", "data-story-size": d.story_id }), d.title,
      d.sources.join(", "), d.last_seen.replace("T", " ").slice(0, 19)]));
    setText("stories-note", r.stories.length ? ""
      : "no stories yet (run `newsworker consume stories --handler stories`)");
  } catch (err) {
    setText("stories-note", String(err.message || err));
  } finally {
    setTimeout(refreshStories, STORIES_MS);
  }
}

// The two panels go first in <main>: the charts, then the stories.
(function addPanels() {
  const main = document.querySelector("main");
  const charts = el("section", null, { class: "wide", id: "charts" });
  charts.append(el("h2", "Last hour"), el("p", "loading…", { id: "series-note", class: "muted" }));
  const grid = el("div", null, { class: "charts" });
  for (const spec of CHARTS) grid.append(el("div", null, { id: "chart-" + spec.id, class: "chart-box" }));
  charts.append(grid);
  const stories = el("section", null, { class: "wide", id: "stories-panel" });
  const table = el("table", null, { id: "stories" });
  const head = el("tr");
  for (const h of ["size", "title", "sources", "last seen (UTC)"]) head.append(el("th", h));
  const thead = el("thead");
  thead.append(head);
  table.append(thead, el("tbody"));
  stories.append(el("h2", "Largest stories, last 24 hours"), table,
    el("p", null, { id: "stories-note", class: "muted" }));
  main.prepend(charts, stories);
})();

refreshSeries();
refreshStories();
