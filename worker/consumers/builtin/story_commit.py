"""The stories read model's keys and its commit script (``worker.consumers.builtin.stories``
decides a batch, this script records it; ``story_retention`` removes what retention forgot).
Kept apart so that both modules share one key order without importing each other."""

from __future__ import annotations

# The read model's parts (``Keys.stories``), in the order the scripts take them as KEYS.
# ``seen``: sorted set article_id -> time of its event (s), walked by retention;
# ``trimmed``: a counter retention raises whenever it shrinks a bucket.
PARTS = ("assigned", "signatures", "lsh", "docs", "by_last_seen", "seq", "seen", "trimmed")

# One batch's decisions, committed only if what they were decided on still holds.
# KEYS: the PARTS in order, then story_events
# ARGV: seq read, this commit's token, trimmed read, F, F x (bucket field, its length when
#       read) or F = -1 (not sent: answer 'stale' if seq changed), G, G x (bucket field, its
#       new value), then per article RECORD values: article_id, story_id, sketch ('' = none),
#       seen score, seen ISO, title, source, emit (1/0), the event's fields (EVENT_FIELDS
#       name/value pairs).
# The check: if retention removed articles since the read (``trimmed`` changed), buckets may
# have shrunk and grown back to the same length, so the batch is decided again. Otherwise, if
# no commit happened since the read (``seq`` unchanged) nothing did; else every bucket read
# must have its length then (buckets only grow between retention passes) and no article of
# the batch may have been assigned meanwhile. A failed check writes nothing: the caller
# decides again. A representative keeps each member's time and source (``member_seen``,
# ``member_sources``, in ``article_ids`` order) so that retention can recompute it.
COMMIT_LUA = """
if (redis.call('GET', KEYS[8]) or '') ~= ARGV[3] then return 'conflict' end
local i = 5 + 2 * math.max(tonumber(ARGV[4]), 0)
local g = tonumber(ARGV[i])
local first = i + 1 + 2 * g
if (redis.call('GET', KEYS[6]) or '') ~= ARGV[1] then
  if ARGV[4] == '-1' then return 'stale' end
  for j = 5, i - 1, 2 do
    if redis.call('HSTRLEN', KEYS[3], ARGV[j]) ~= tonumber(ARGV[j + 1]) then
      return 'conflict'
    end
  end
  for r = first, #ARGV, RECORD do
    if redis.call('HEXISTS', KEYS[1], ARGV[r]) == 1 then return 'conflict' end
  end
end
for j = i + 1, first - 1, 1000 do
  redis.call('HSET', KEYS[3], unpack(ARGV, j, math.min(j + 999, first - 1)))
end
for r = first, #ARGV, RECORD do
  local aid, sid, seen = ARGV[r], ARGV[r + 1], ARGV[r + 4]
  redis.call('HSET', KEYS[1], aid, sid)
  if ARGV[r + 2] ~= '' then redis.call('HSET', KEYS[2], aid, ARGV[r + 2]) end
  redis.call('ZADD', KEYS[7], ARGV[r + 3], aid)
  local raw = redis.call('HGET', KEYS[4], sid)
  local d
  if raw then d = cjson.decode(raw) else
    d = {story_id = sid, title = ARGV[r + 5], first_seen = seen, last_seen = seen,
         sources = {}, article_ids = {}, size = 0, member_seen = {}, member_sources = {}}
  end
  -- a representative written before member_seen existed keeps going without it
  if type(d.member_seen) == 'table' and #d.member_seen == #d.article_ids then
    table.insert(d.member_seen, seen)
    table.insert(d.member_sources, ARGV[r + 6])
  else
    d.member_seen, d.member_sources = nil, nil
  end
  table.insert(d.article_ids, aid)
  d.size = #d.article_ids
  local known = false
  for _, src in ipairs(d.sources) do if src == ARGV[r + 6] then known = true end end
  if not known then table.insert(d.sources, ARGV[r + 6]) end
  if seen < d.first_seen then d.first_seen = seen end
  if seen > d.last_seen then d.last_seen = seen end
  redis.call('HSET', KEYS[4], sid, cjson.encode(d))
  local score = redis.call('ZSCORE', KEYS[5], sid)
  if (not score) or tonumber(ARGV[r + 3]) > tonumber(score) then
    redis.call('ZADD', KEYS[5], ARGV[r + 3], sid)
  end
  if ARGV[r + 7] == '1' then
    redis.call('XADD', KEYS[9], '*', unpack(ARGV, r + 8, r + RECORD - 1))
  end
end
redis.call('SET', KEYS[6], ARGV[2])
return 'ok'
"""
EVENT_FIELDS, RECORD = 6, 8 + 2 * 6  # 6: encode_story_event's fields
