"""Retention for the stories read model: an article ``retention_s`` forgot leaves it too.

Run by the ``stories`` handler's housekeeping (``StoriesHandler.maintain``), right after the
store's pass (``worker.store.expiry``) in the same consumer round. Not by that pass itself:
the store sits below the read models (docs/architecture.md) and the LSH bands an article sits
in are computed here (``worker.consumers.similarity``).

- The articles of the read model whose event is older than the window (``seen``) are checked
  against the store: once it has forgotten one (its state's ``entry_id`` is ''; the store
  does so only after every group, this one included, acknowledged its latest event), the
  article leaves its LSH buckets, its assignment, its sketch and its story's members; the
  representative's size, sources and first/last seen are recomputed from the members left
  (it keeps its id and its founder's headline); a story with no member left goes. All of it
  in one script per page, which raises ``trimmed`` so that a batch decided on the buckets
  before is decided again (``story_commit.COMMIT_LUA``).
- An article still current (revised since, its latest event in the window) stays, its
  ``seen`` moved to that event; one whose latest event a group still holds stays as it is
  and is checked again next pass.
- The ``story.article_added`` stream is trimmed to the same window, never past a group
  reading it (none by default: its entries then simply age out, as failures do).

A later copy of a forgotten article joins the story of any member still in the window, or
founds a new story. ``rebuild stories`` replays the stream, which holds the window only: it
stays deterministic (same input order, same stories), but a story founded by an article
retention forgot is rebuilt under the id of its oldest member left.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import redis

from worker.consumers.builtin.story_commit import PARTS
from worker.consumers.similarity import Sketch, band_fields
from worker.redisconn import to_str
from worker.settings import Settings
from worker.store.expiry import cutoff_id
from worker.store.groups import parse_id
from worker.store.keys import Keys
from worker.store.retention import trim_before

log = logging.getLogger(__name__)

PAGE = 200  # articles per script call: ~37 bucket rewrites each, a few ms of Redis time
MAX_PER_PASS = 20_000  # as worker.store.expiry: one pass keeps up with 20 articles/s

# KEYS: the PARTS in order. ARGV[1]: the store's state key prefix (Keys.article('')), then per
# article: its id, n, its n bucket fields. An article is forgotten only if the store has
# forgotten it (checked here, atomically with the removal). Returns {forgotten, stories gone}.
FORGET_LUA = """
local forgot, gone, i = 0, 0, 2
while i <= #ARGV do
  local aid, n, f0 = ARGV[i], tonumber(ARGV[i + 1]), i + 2
  i = f0 + n
  if redis.call('HGET', ARGV[1] .. aid, 'entry_id') == '' then
    for j = f0, f0 + n - 1 do
      local v = redis.call('HGET', KEYS[3], ARGV[j])
      if v then
        local kept = {}
        for w in string.gmatch(v, '%S+') do if w ~= aid then kept[#kept + 1] = w end end
        if #kept == 0 then redis.call('HDEL', KEYS[3], ARGV[j])
        else redis.call('HSET', KEYS[3], ARGV[j], table.concat(kept, ' ')) end
      end
    end
    local sid = redis.call('HGET', KEYS[1], aid)
    redis.call('HDEL', KEYS[1], aid)
    redis.call('HDEL', KEYS[2], aid)
    redis.call('ZREM', KEYS[7], aid)
    local raw = sid and redis.call('HGET', KEYS[4], sid)
    if raw then
      local d = cjson.decode(raw)
      local aligned = type(d.member_seen) == 'table' and type(d.member_sources) == 'table'
        and #d.member_seen == #d.article_ids and #d.member_sources == #d.article_ids
      local ids, seen, srcs = {}, {}, {}
      for k, m in ipairs(d.article_ids) do
        if m ~= aid then
          ids[#ids + 1] = m
          if aligned then
            seen[#seen + 1] = d.member_seen[k]
            srcs[#srcs + 1] = d.member_sources[k]
          end
        end
      end
      if #ids == 0 then
        redis.call('HDEL', KEYS[4], sid)
        redis.call('ZREM', KEYS[5], sid)
        gone = gone + 1
      else
        d.article_ids, d.size = ids, #ids
        if aligned then
          local known, sources, top = {}, {}, nil
          d.member_seen, d.member_sources = seen, srcs
          d.first_seen, d.last_seen = seen[1], seen[1]
          for k, t in ipairs(seen) do
            if t < d.first_seen then d.first_seen = t end
            if t > d.last_seen then d.last_seen = t end
            if not known[srcs[k]] then known[srcs[k]] = true; sources[#sources + 1] = srcs[k] end
            local sc = redis.call('ZSCORE', KEYS[7], ids[k])
            if sc and (top == nil or tonumber(sc) > top) then top = tonumber(sc) end
          end
          d.sources = sources
          if top then redis.call('ZADD', KEYS[5], top, sid) end
        end
        redis.call('HSET', KEYS[4], sid, cjson.encode(d))
      end
    end
    forgot = forgot + 1
  end
end
if forgot > 0 then redis.call('INCR', KEYS[8]) end
return {forgot, gone}
"""


@dataclass(frozen=True, slots=True)
class StoriesExpired:
    checked: int = 0  # articles older than the window looked at
    forgotten: int = 0  # of them, removed (the store had forgotten them)
    stories_removed: int = 0  # stories left without a member
    events_trimmed: int = 0  # story.article_added entries trimmed


def expire_stories(client: redis.Redis, keys: Keys, settings: Settings, *,
                   now_ms: int | None = None, max_articles: int = MAX_PER_PASS,
                   page: int = PAGE) -> StoriesExpired:
    """One pass over the live read model (module docstring). Safe to run beside commits and
    on several consumers at once: each article's removal checks the store in the script."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    cutoff = cutoff_id(settings.retention_s, now)
    cutoff_s = parse_id(cutoff)[0] / 1000
    seen = keys.stories("seen")
    forget = client.register_script(FORGET_LUA)
    script_keys = [keys.stories(p) for p in PARTS]
    checked = forgot = gone = held = 0
    while checked < max_articles:
        rows = client.zrangebyscore(seen, "-inf", f"({cutoff_s}", start=held,
                                    num=min(page, max_articles - checked))
        if not rows:
            break
        ids = [to_str(r) for r in rows]
        pipe = client.pipeline(transaction=False)
        for aid in ids:
            pipe.hget(keys.article(aid), "entry_id")
        pipe.hmget(keys.stories("signatures"), ids)
        *states, sigs = pipe.execute()
        args: list[Any] = [keys.article("")]
        moved: dict[str, float] = {}
        sent = 0
        for aid, state, sig in zip(ids, states, sigs, strict=True):
            if state == b"":
                fields = band_fields(Sketch.from_bytes(sig), settings) if sig else []
                args += [aid, len(fields), *fields]
                sent += 1
            elif state is None:  # not in the store (never appended): checked again later
                moved[aid] = now / 1000
            elif (latest := parse_id(to_str(state))[0] / 1000) >= cutoff_s:
                moved[aid] = latest  # revised since: due when that event leaves the window
            else:
                held += 1  # a group still holds its latest event: next pass
        if moved:
            client.zadd(seen, dict(moved), xx=True)
        n, g = forget(keys=script_keys, args=args) if sent else (0, 0)
        # one revised between the read and the script stays in the range: skip it too
        held += sent - int(n)
        forgot, gone = forgot + int(n), gone + int(g)
        checked += len(ids)
    trimmed = trim_before(client, keys.story_events, cutoff)
    if forgot or trimmed:
        log.info("stories retention: checked %d, forgot %d articles, removed %d stories, "
                 "trimmed %d story events", checked, forgot, gone, trimmed)
    return StoriesExpired(checked, forgot, gone, trimmed)

