-- Forget what retention no longer keeps, for one page of old stream entries (worker.store.expiry).
-- KEYS[1] event stream, KEYS[2] catalog articles hash, KEYS[3] catalog by_published.
-- ARGV[1] first id (XRANGE syntax), ARGV[2] last id ("(" excludes), ARGV[3] page size,
-- ARGV[4] state key prefix (Keys.article('')), ARGV[5] history key prefix (Keys.history('')),
-- ARGV[6] catalog source-index prefix (Keys.catalog('by_source:')), ARGV[7] versions list
-- prefix (Keys.versions('')).
-- An article whose latest event is one of these entries is forgotten: its history and its
-- catalog document go, and its state hash keeps only what append.lua's dedupe and version
-- check read (version, content_hash, origin), with entry_id/event_id emptied ('' so its
-- replies stay strings). A later event of the article is not in this page, so its state
-- names that entry and the article is left alone. The per-article keys share the hash tag
-- of KEYS[1], so this runs on Redis Cluster too.
-- Returns {entries read, articles forgotten, last id read or ''}.
local rows = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local forgot = 0
for _, row in ipairs(rows) do
  local id, f = row[1], row[2]
  local aid = nil
  for j = 1, #f, 2 do
    if f[j] == 'article_id' then aid = f[j + 1] break end
  end
  if aid and aid ~= '' and redis.call('HGET', ARGV[4] .. aid, 'entry_id') == id then
    redis.call('HSET', ARGV[4] .. aid, 'entry_id', '', 'event_id', '')
    redis.call('HDEL', ARGV[4] .. aid, 'type')
    redis.call('DEL', ARGV[5] .. aid, ARGV[7] .. aid)
    local doc = redis.call('HGET', KEYS[2], aid)
    if doc then
      -- The source indexes an article is in: worker.consumers.builtin.catalog.source_names.
      local d = cjson.decode(doc)
      redis.call('ZREM', ARGV[6] .. 'kind:' .. tostring(d['source_kind']), aid)
      if type(d['site_name']) == 'string' and d['site_name'] ~= '' then
        redis.call('ZREM', ARGV[6] .. 'site:' .. d['site_name'], aid)
      end
      redis.call('ZREM', KEYS[3], aid)
      redis.call('HDEL', KEYS[2], aid)
    end
    forgot = forgot + 1
  end
end
if #rows == 0 then return {0, 0, ''} end
return {#rows, forgot, rows[#rows][1]}
