-- Idempotent, versioned append of one article event. Atomic: runs as one script.
-- KEYS[1] event stream, KEYS[2] article state hash, KEYS[3] counters hash
-- ARGV[1] content_hash  ARGV[2] expected current version  ARGV[3] event type
-- ARGV[4] event_id  ARGV[5] article_id  ARGV[6] schema_version  ARGV[7] body (JSON)
-- Returns {status, version, entry_id, event_id}; status is appended | unchanged | conflict.
local cur = redis.call('HMGET', KEYS[2], 'version', 'content_hash', 'entry_id', 'event_id')
local version = tonumber(cur[1]) or 0
if cur[2] == ARGV[1] then
  return {'unchanged', tostring(version), cur[3], cur[4]}
end
if tonumber(ARGV[2]) ~= version then
  return {'conflict', tostring(version), cur[3] or '', cur[4] or ''}
end
local new_version = version + 1
local id = redis.call('XADD', KEYS[1], '*',
  'type', ARGV[3], 'article_id', ARGV[5], 'version', tostring(new_version),
  'event_id', ARGV[4], 'schema_version', ARGV[6], 'body', ARGV[7])
redis.call('HSET', KEYS[2], 'version', new_version, 'content_hash', ARGV[1],
  'entry_id', id, 'event_id', ARGV[4], 'type', ARGV[3])
redis.call('HINCRBY', KEYS[3], 'appended:' .. ARGV[3], 1)
return {'appended', tostring(new_version), id, ARGV[4]}
