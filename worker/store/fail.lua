-- Append an ingestion.failed event once per (submission, source).
-- KEYS[1] failures stream, KEYS[2] dedupe marker, KEYS[3] counters hash
-- ARGV[1] ttl seconds, ARGV[2] code, then flat field/value pairs for XADD.
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[1])) == false then
  return false
end
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], '*', unpack(fields))
redis.call('SET', KEYS[2], id, 'XX', 'KEEPTTL')
redis.call('HINCRBY', KEYS[3], 'failures:' .. ARGV[2], 1)
return id
