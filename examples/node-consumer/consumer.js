// A newsworker consumer in plain Node.js (no npm packages): joins a consumer group with
// XGROUP CREATE, reads entries with XREADGROUP, parses each entry's `body` (the event
// envelope as JSON, see docs/schema/), prints one JSON line per event and XACKs it.
//
//   node consumer.js --url redis://127.0.0.1:6379/0 --stream '{newsworker}:events' \
//        --group node --consumer c1 [--count 10] [--block-ms 2000]
//
// It exits after --count events (or when a read times out), so it can run in a test.
"use strict";
const net = require("net");

function args() {
  const a = { url: "redis://127.0.0.1:6379/0", stream: "{newsworker}:events", group: "node",
              consumer: "node-1", count: 10, blockMs: 2000 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    a[k] = ["count", "blockMs"].includes(k) ? Number(argv[i + 1]) : argv[i + 1];
  }
  return a;
}

function encode(parts) {  // a RESP array of bulk strings
  let out = `*${parts.length}\r\n`;
  for (const p of parts) out += `$${Buffer.byteLength(String(p))}\r\n${p}\r\n`;
  return out;
}

// Parses one RESP reply from buf at pos; returns [value, nextPos] or null if incomplete.
function parse(buf, pos) {
  const end = buf.indexOf("\r\n", pos);
  if (end < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString("utf8", pos + 1, end);
  const next = end + 2;
  if (type === "+") return [line, next];
  if (type === "-") return [new Error(line), next];
  if (type === ":") return [Number(line), next];
  if (type === "$") {
    const n = Number(line);
    if (n < 0) return [null, next];
    if (buf.length < next + n + 2) return null;
    return [buf.toString("utf8", next, next + n), next + n + 2];
  }
  if (type === "*") {
    const n = Number(line);
    if (n < 0) return [null, next];
    const items = [];
    let p = next;
    for (let i = 0; i < n; i++) {
      const r = parse(buf, p);
      if (r === null) return null;
      items.push(r[0]);
      p = r[1];
    }
    return [items, p];
  }
  throw new Error(`unexpected RESP type ${type}`);
}

function connect(url) {
  const u = new URL(url);
  const sock = net.createConnection({ host: u.hostname, port: Number(u.port || 6379) });
  let buf = Buffer.alloc(0);
  const waiting = [];
  sock.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const r = parse(buf, 0);
      if (r === null) break;
      buf = buf.subarray(r[1]);
      waiting.shift()(r[0]);
    }
  });
  const call = (...parts) => new Promise((resolve) => {
    waiting.push(resolve);
    sock.write(encode(parts));
  });
  return { call, close: () => sock.end(), db: Number((u.pathname || "/0").slice(1) || 0) };
}

async function main() {
  const a = args();
  const r = connect(a.url);
  await r.call("SELECT", r.db);
  const created = await r.call("XGROUP", "CREATE", a.stream, a.group, "0", "MKSTREAM");
  if (created instanceof Error && !created.message.startsWith("BUSYGROUP")) throw created;
  let seen = 0;
  while (seen < a.count) {
    const reply = await r.call("XREADGROUP", "GROUP", a.group, a.consumer, "COUNT",
                               String(a.count - seen), "BLOCK", String(a.blockMs),
                               "STREAMS", a.stream, ">");
    if (reply === null) break;  // nothing new within --block-ms
    if (reply instanceof Error) throw reply;
    for (const [, entries] of reply) {
      for (const [id, flat] of entries) {
        const fields = {};
        for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
        const event = JSON.parse(fields.body);
        process.stdout.write(JSON.stringify({
          entry_id: id, type: event.type, schema_version: event.schema_version,
          article_id: event.article_id, version: event.version,
          title: event.data && event.data.title }) + "\n");
        await r.call("XACK", a.stream, a.group, id);
        seen += 1;
      }
    }
  }
  r.close();
}

main().catch((err) => { console.error(`consumer: ${err.message}`); process.exit(1); });
