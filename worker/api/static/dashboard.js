// newsworker dashboard: polls /v1/status and /v1/events every 2 s. No build step.
// Every value is written with textContent (feed titles and errors are untrusted text).
"use strict";

const REFRESH_MS = 2000;
const TOKEN_KEY = "newsworker.token";
let lastEventId = null;
const events = [];

// A token passed as #token=... is moved to sessionStorage and removed from the address bar.
(function takeTokenFromFragment() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
})();

async function api(path) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = "Bearer " + token;
  const r = await fetch(path, { headers, cache: "no-store" });
  if (r.status === 401 || r.status === 403) {
    document.getElementById("login").hidden = false;
    throw new Error("unauthorised (" + r.status + ")");
  }
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function fillTable(id, rows) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren(...rows.map((cells) => {
    const tr = el("tr");
    for (const c of cells) {
      tr.append(c instanceof Node ? c : el("td", c));
    }
    return tr;
  }));
}

function setText(id, value) {
  document.getElementById(id).textContent = value === null || value === undefined ? "-" : value;
}

function ago(ts, now) {
  if (ts === null || ts === undefined) return "-";
  const d = Math.round(now - ts);
  return d >= 0 ? d + "s ago" : "in " + -d + "s";
}

function renderStatus(s) {
  fillTable("queues", Object.entries(s.queues).map(([q, n]) => [
    q, el("td", n, { "data-queue": q, class: "num" })]));
  setText("workers-live", s.workers.live);
  setText("workers-active", s.workers.active);
  setText("unacked", s.unacked);
  setText("journal-pending", s.journal_pending);
  setText("worker-names", (s.workers.names || []).join(", ") || "no live worker");
  setText("stream-length", s.stream.length);
  setText("stream-last", s.stream.last_id);
  setText("stream-age", s.stream.newest_age_s === null ? null : s.stream.newest_age_s + " s");
  setText("stream-rate", s.stream.events_per_minute);
  fillTable("groups", s.groups.map((g) => [
    g.name, el("td", g.consumers, { class: "num" }),
    el("td", g.pending, { "data-group-pending": g.name, class: "num" }),
    el("td", (g.lag_capped ? "≥" : "") + g.lag, { "data-group": g.name, class: "num" }),
    g.oldest_pending_idle_ms === null ? "-" : (g.oldest_pending_idle_ms / 1000).toFixed(1) + " s"]));
  setText("dlq-length", s.dead_letters.length);
  setText("failures-length", s.failures.length);
  fillTable("dead-letters", [
    ...s.dead_letters.recent.map((d) => [d.id, d.group, d.error]),
    ...s.failures.recent.map((f) => [f.entry_id, f.source, "[" + f.code + "] " + f.reason])]);
  fillTable("feeds", s.feeds.map((f) => [
    f.url, ago(f.last_poll_at, s.at), f.last_result, ago(f.next_due_at, s.at),
    el("td", f.error_count, { class: "num" }), f.parked_reason || (f.parked ? "yes" : "")]));
  const alerts = document.getElementById("alerts");
  alerts.replaceChildren(...s.alerts.map((a) => el("li", a.message, { "data-alert": a.kind })));
}

// /v1/events sends summaries (title, sizes), never whole articles: see docs/monitoring.md.
function kilobytes(n) {
  return n < 1024 ? n + " B" : (n / 1024).toFixed(n < 10240 ? 1 : 0) + " kB";
}

async function refreshEvents() {
  const page = await api(lastEventId === null ? "/v1/events?tail=20"
    : "/v1/events?limit=100&after=" + encodeURIComponent(lastEventId));
  if (page.next_after) lastEventId = page.next_after;
  renderRevised(page.events);
  events.unshift(...page.events.reverse());
  events.length = Math.min(events.length, 20);
  fillTable("events", events.map((e) => [
    e.entry_id, e.type || "undecodable", e.version ?? "",
    e.error || e.title || e.reason || "",
    el("td", kilobytes(e.size_bytes), { class: "num" })]));
}

// --- article history: recently revised articles, a version timeline and the diff ------------
const revised = new Map();  // article_id -> its newest article.revised event seen

function changesText(c) {
  if (!c) return "changes unknown";
  const parts = [c.fields.join(", ") || "no article field"];
  if (c.fields.includes("body")) parts.push("+" + c.words_added + "/-" + c.words_removed + " words");
  return parts.join("; ");
}

function renderRevised(newEvents) {
  for (const e of newEvents) {  // oldest first: the newest revision ends up last
    if (e.type === "article.revised") {
      revised.delete(e.article_id);
      revised.set(e.article_id, e);
    }
  }
  const rows = [...revised.values()].reverse().slice(0, 20);
  fillTable("revised", rows.map((e) => {
    const open = el("button", e.article_id, { "data-article": e.article_id, type: "button" });
    open.addEventListener("click", () => openArticle(e.article_id));
    const cell = el("td");
    cell.append(open);
    return [cell, e.version, e.title, changesText(e.changes)];
  }));
}

function chunks(target, list) {
  // Paragraph breaks inside chunks become separate <p>s; words keep their spaces.
  target.replaceChildren();
  let p = el("p");
  target.append(p);
  list.forEach((c, i) => {
    c.text.split("\n\n").forEach((part, k) => {
      if (k > 0) { p = el("p"); target.append(p); }
      if (!part) return;
      if (i > 0 && k === 0 && p.childNodes.length) p.append(" ");
      p.append(c.op === "equal" ? document.createTextNode(part)
        : el(c.op === "delete" ? "del" : "ins", part));
    });
  });
}

async function showDiff(id, from, to) {
  const q = from ? "?from=" + from + "&to=" + to : "";
  const d = await api("/v1/articles/" + encodeURIComponent(id) + "/diff" + q);
  setText("diff-heading", "v" + d.from.version + " → v" + d.to.version + ": "
    + changesText(d.changes));
  chunks(document.getElementById("diff-title"), d.title);
  chunks(document.getElementById("diff-body"), d.body);
}

async function openArticle(id) {
  const h = await api("/v1/articles/" + encodeURIComponent(id) + "/history");
  document.getElementById("article-view").hidden = false;
  setText("article-heading", id + " — " + h.versions.length + " version(s)");
  document.getElementById("timeline").replaceChildren(...h.versions.map((v) => {
    const li = el("li", null, { "data-version": v.version });
    const b = el("button", "v" + v.version, { type: "button" });
    b.disabled = v.version === 1;
    b.addEventListener("click", () => showDiff(id, v.version - 1, v.version));
    li.append(b, " " + v.occurred_at + " " + v.title + " — "
      + (v.version === 1 ? "first version" : changesText(v.changes)));
    return li;
  }));
  if (h.versions.length > 1) await showDiff(id);
}

async function tick() {
  const conn = document.getElementById("conn");
  try {
    const s = await api("/v1/status");
    renderStatus(s);
    await refreshEvents();
    setText("updated", "updated " + new Date(s.at * 1000).toLocaleTimeString());
    conn.textContent = s.alerts.length ? s.alerts.length + " alert(s)" : "ok";
    conn.className = "badge " + (s.alerts.length ? "bad" : "ok");
  } catch (err) {
    conn.textContent = String(err.message || err);
    conn.className = "badge bad";
  } finally {
    setTimeout(tick, REFRESH_MS);
  }
}

document.getElementById("login").addEventListener("submit", (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
  document.getElementById("login").hidden = true;
});

tick();
