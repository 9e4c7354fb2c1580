-- Idempotent, versioned append of up to N article events in one script call, applying the
-- per-article checks in order, so one round trip serves a batch.
-- KEYS[1] event stream, KEYS[2] counters hash, then per article i: KEYS[1+2i] its state
--   hash, KEYS[2+2i] its versions list (Keys.versions)
-- ARGV[1] '1' when only an article's origin may revise it (docs/identity.md), else '0'.
-- ARGV per article i, 10 values from 1+10*(i-1)+1: content_hash, expected current version,
--   the version it appends (expected + 1), event type, event_id, article_id, schema_version,
--   body (JSON), history summary (JSON), origin (the source allowed to revise it; see
--   worker.events.models.origin_of). Versions are decimal strings, as the state hash holds
--   them: compared and written as strings (no number conversions per article).
-- Returns per article, in order: for an append only its new entry_id (the caller knows the
-- version and event_id it sent: one value, not four, for the common case); else 4 values:
-- status, version, entry_id, event_id, status unchanged | conflict | foreign (a conflict
-- changes nothing: the caller retries it; foreign: another origin established the article,
-- nothing changes). A status is never an entry id (those are '<ms>-<seq>').
-- The origin is checked here, in the same atomic step as the append, so no claim can slip in
-- between a check and the write. State written before origins existed has none: the first
-- append or unchanged that reaches it records its origin (it is treated as the first).
-- The caller sends each article at most once per call (a repeat waits for the next call).
-- The state hash holds version, content_hash, entry_id, event_id, origin (no type: it follows
-- from the version, worker.events.models.article_event_type; state written before keeps it).
-- The versions list gets two elements per event, its entry id and its history summary
-- (whose JSON holds the version): written in the same script as the event, so the index
-- never lags or leads the stream. An article whose state was lost gets a version again: the
-- reader keeps, per version, the later entry (worker.store.history), so nothing is removed
-- here and the push is the whole cost (the sorted set it replaces cost ~8% of appends/s).
-- A call whose articles are all new (no state hash exists: one EXISTS over them) skips their
-- HMGETs: a command less per article, -7% of Redis's instructions per append (callgrind,
-- 3,000 new ~4 KB articles); any existing state and every article is read as before.
local KEYS, ARGV, call = KEYS, ARGV, redis.call  -- locals: no global lookup per use
local out = {}
local n = 0
local counts = {}
local strict = ARGV[1] == '1'
local articles = (#KEYS - 2) / 2
local states = {}
for i = 1, articles do
  states[i] = KEYS[1 + 2 * i]
end
local none = {}  -- what HMGET gives for a missing hash (its nils: absent table entries)
local all_new = call('EXISTS', unpack(states)) == 0
for i = 1, articles do
  local a = 1 + 10 * (i - 1)
  local key = KEYS[1 + 2 * i]
  local cur = all_new and none
    or call('HMGET', key, 'version', 'content_hash', 'entry_id', 'event_id', 'origin')
  local version = cur[1] or '0'
  local origin = ARGV[a + 10]
  if strict and version ~= '0' and cur[5] and cur[5] ~= origin then
    out[n + 1], out[n + 2], out[n + 3], out[n + 4] = 'foreign', version, cur[3] or '', cur[4] or ''
    n = n + 4
  elseif cur[2] == ARGV[a + 1] then
    if version ~= '0' and not cur[5] then
      call('HSET', key, 'origin', origin)
    end
    out[n + 1], out[n + 2], out[n + 3], out[n + 4] = 'unchanged', version, cur[3], cur[4]
    n = n + 4
  elseif ARGV[a + 2] ~= version then
    out[n + 1], out[n + 2], out[n + 3], out[n + 4] = 'conflict', version, cur[3] or '', cur[4] or ''
    n = n + 4
  else
    local new_version = ARGV[a + 3]
    local etype = ARGV[a + 4]
    local id = call('XADD', KEYS[1], '*',
      'type', etype, 'article_id', ARGV[a + 6], 'version', new_version,
      'event_id', ARGV[a + 5], 'schema_version', ARGV[a + 7], 'body', ARGV[a + 8])
    call('HSET', key, 'version', new_version, 'content_hash', ARGV[a + 1],
      'entry_id', id, 'event_id', ARGV[a + 5], 'origin', cur[5] or origin)
    call('RPUSH', KEYS[2 + 2 * i], id, ARGV[a + 9])
    counts[etype] = (counts[etype] or 0) + 1
    n = n + 1
    out[n] = id
  end
end
for etype, c in pairs(counts) do
  call('HINCRBY', KEYS[2], 'appended:' .. etype, c)
end
return out
