// newsworker API reference: reads /openapi.json (with the tab's API token) and lists every
// operation. No build step, no third-party script; all text is written with textContent.
"use strict";

const TOKEN_KEY = "newsworker.token";  // shared with the dashboard

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function schemaName(schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array") return schemaName(schema.items) + "[]";
  if (schema.anyOf) return schema.anyOf.map(schemaName).join(" | ");
  return schema.type || "object";
}

function operation(path, method, op) {
  const section = el("section");
  section.append(el("h2", method.toUpperCase() + " " + path));
  if (op.summary) section.append(el("p", op.summary));
  if (op.description) section.append(el("p", op.description, "muted"));
  const params = op.parameters || [];
  if (params.length) {
    const table = el("table");
    table.append(el("caption", "parameters"));
    for (const p of params) {
      const row = el("tr");
      row.append(el("td", p.name), el("td", p.in), el("td", schemaName(p.schema)),
                 el("td", p.required ? "required" : ""), el("td", p.description || ""));
      table.append(row);
    }
    section.append(table);
  }
  const body = op.requestBody && op.requestBody.content;
  if (body) {
    for (const [type, media] of Object.entries(body)) {
      section.append(el("p", "body: " + type + " " + schemaName(media.schema)));
    }
  }
  const codes = Object.entries(op.responses || {}).map(
    ([code, r]) => code + " " + (r.description || ""));
  section.append(el("p", "responses: " + codes.join(" · "), "muted"));
  return section;
}

async function load() {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = "Bearer " + token;
  const r = await fetch("/openapi.json", { headers, cache: "no-store" });
  if (r.status === 401 || r.status === 403) {
    document.getElementById("login").hidden = false;
    document.getElementById("error").textContent = "the API description needs the API token";
    return;
  }
  if (!r.ok) throw new Error("/openapi.json: HTTP " + r.status);
  const doc = await r.json();
  document.getElementById("title").textContent = doc.info.title + " API";
  document.getElementById("version").textContent =
    "version " + doc.info.version + " · OpenAPI " + doc.openapi;
  const main = document.getElementById("operations");
  main.replaceChildren();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) main.append(operation(path, method, op));
  }
}

document.getElementById("login").addEventListener("submit", (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
  document.getElementById("login").hidden = true;
  load().catch((e) => { document.getElementById("error").textContent = String(e); });
});
load().catch((e) => { document.getElementById("error").textContent = String(e); });
