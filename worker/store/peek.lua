-- Bounded reads of one stream: walk a range one entry at a time and return ids, or entries
-- with every long value cut, so what crosses the network is bounded whatever an entry holds
-- (Redis has no command that returns stream ids without their values).
-- KEYS[1] the stream
-- ARGV[1] 'asc' (XRANGE) or 'desc' (XREVRANGE)
-- ARGV[2] the bound to start from, ARGV[3] the bound to stop at (in walking order; '(' for
--   exclusive, as XRANGE takes them)
-- ARGV[4] most entries; ARGV[5] most bytes to walk (names and values; the entry that crosses
--   it is the last one walked); ARGV[6] longest value returned whole, -1: ids only
-- Returns {stopped, entries}: stopped is 1 when the byte budget ended the walk; each entry is
-- {id, size in bytes, {name, value, ...}, {name of a cut value, its full length, ...}}.
local cmd = ARGV[1] == 'asc' and 'XRANGE' or 'XREVRANGE'
local cursor, stop = ARGV[2], ARGV[3]
local most, budget, keep = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local out, walked = {}, 0
while #out < most do
  -- COUNT 1: the script holds one entry at a time, however large the range
  local row = redis.call(cmd, KEYS[1], cursor, stop, 'COUNT', 1)[1]
  if not row then
    break
  end
  local id, kv = row[1], row[2]
  local size, fields, cut = 0, {}, {}
  for i = 1, #kv, 2 do
    local name, value = kv[i], kv[i + 1]
    size = size + #name + #value
    if keep >= 0 then
      fields[#fields + 1] = name
      if #value > keep then
        fields[#fields + 1] = string.sub(value, 1, keep)
        cut[#cut + 1] = name
        cut[#cut + 1] = #value
      else
        fields[#fields + 1] = value
      end
    end
  end
  out[#out + 1] = {id, size, fields, cut}
  row, kv = nil, nil
  walked = walked + size
  cursor = '(' .. id
  if walked >= budget then
    return {1, out}
  end
end
return {0, out}
