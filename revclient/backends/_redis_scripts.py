"""Lua scripts of the Redis backend (one round trip each, atomic on the server).

Times are integer microseconds of the Redis server's clock (``TIME``): every process and
host compares against the same clock, so client clock skew cannot let two processes
squeeze extra requests into one window. (2**53 microseconds is 285 years: exact in a
Lua number and in a sorted-set score.)
"""

from __future__ import annotations

__all__ = [
    "ACQUIRE_CONTINUOUS",
    "ACQUIRE_WINDOW",
    "FETCH_TOKEN",
    "INVALIDATE_TOKEN",
    "PAUSE_CONTINUOUS",
    "PAUSE_WINDOW",
    "RELEASE_WINDOW",
    "STORE_TOKEN",
    "UNDO_CONTINUOUS",
    "UNLOCK",
]

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
-- Store a time (us) under key k until the time ``untl`` passes.
local function set_until(k, v, untl)
  redis.call('SET', k, string.format('%.0f', v), 'PX', math.floor((untl - now) / 1000) + 10)
end
"""

# KEYS[1] reservations (sorted set: member -> start or release time), KEYS[2] pause_until
# ARGV[1] limit, ARGV[2] cooldown (period + margin, us), ARGV[3] new member,
# ARGV[4] member to drop first ('' for none: a re-reservation after a local 429 pause)
# Returns the delay (us) until the reserved start.
#
# Every entry holds one of ``limit`` tokens until ``score + cooldown``. The new entry goes
# at the earliest time that is (a) now or later, (b) after any 429 pause, (c) not before
# the last reservation (FIFO across processes), and (d) ``cooldown`` after the entry
# ``limit`` places back, so the ``limit - 1`` entries after that one plus the new one
# are the only ones in any window ending at the new start.
ACQUIRE_WINDOW = (
    _NOW
    + """
local limit = tonumber(ARGV[1])
local cooldown = tonumber(ARGV[2])
if ARGV[4] ~= '' then redis.call('ZREM', KEYS[1], ARGV[4]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - cooldown)
local at = now
local pause = tonumber(redis.call('GET', KEYS[2]))
if pause and pause > at then at = pause end
local n = redis.call('ZCARD', KEYS[1])
if n > 0 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local s = tonumber(last[2])
  if s > at then at = s end
  if n >= limit then
    local ref = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
    s = tonumber(ref[2]) + cooldown
    if s > at then at = s end
  end
end
redis.call('ZADD', KEYS[1], at, ARGV[3])
-- The newest entry is the last to matter: the key vanishes when it stops mattering.
redis.call('PEXPIRE', KEYS[1], math.floor((at - now + cooldown) / 1000) + 10)
return at - now
"""
)

# KEYS[1] reservations; ARGV[1] member, ARGV[2] cooldown (us)
# The request is over: its token returns ``cooldown`` after now rather than after its
# start, as in the in-memory bucket (the server saw it before its answer arrived).
RELEASE_WINDOW = (
    _NOW
    + """
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) < now then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  local want = math.floor(tonumber(ARGV[2]) / 1000) + 10
  if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
end
return 0
"""
)

# KEYS[1] reservations, KEYS[2] pause_until; ARGV[1] delay (us, '' = no Retry-After),
# ARGV[2] cooldown (us). Returns the pause length (us).
PAUSE_WINDOW = (
    _NOW
    + """
local cooldown = tonumber(ARGV[2])
local untl
if ARGV[1] == '' then
  -- No Retry-After: until the oldest token still counted returns.
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - cooldown)
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if first[2] then untl = tonumber(first[2]) + cooldown else untl = now + cooldown end
else
  untl = now + tonumber(ARGV[1])
end
local cur = tonumber(redis.call('GET', KEYS[2]))
if untl > now and (not cur or untl > cur) then
  set_until(KEYS[2], untl, untl)
end
return untl - now
"""
)

# Continuous refill (GCRA): KEYS[1] theoretical arrival time (TAT), KEYS[2] pause_until;
# ARGV[1] limit, ARGV[2] interval (period / limit, us). Returns {delay, new TAT}.
# The bucket is full at TAT; a start at ``t`` needs ``TAT - t <= (limit - 1) * interval``.
ACQUIRE_CONTINUOUS = (
    _NOW
    + """
local limit = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local at = tat - (limit - 1) * interval
if at < now then at = now end
local pause = tonumber(redis.call('GET', KEYS[2]))
if pause and pause > at then at = pause end
if at > tat then tat = at end
tat = tat + interval
set_until(KEYS[1], tat, tat)
return {at - now, string.format('%.0f', tat)}
"""
)

# KEYS[1] TAT; ARGV[1] the TAT this waiter set, ARGV[2] interval: a cancelled waiter gives
# its place back when nobody queued behind it (best effort, as its reservation is the last).
UNDO_CONTINUOUS = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  local tat = tonumber(ARGV[1]) - tonumber(ARGV[2])
  local pttl = redis.call('PTTL', KEYS[1])
  if pttl > 0 then
    redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', pttl)
  end
end
return 0
"""

# KEYS[1] TAT, KEYS[2] pause_until; ARGV[1] delay (us or ''), ARGV[2] limit,
# ARGV[3] interval. The server's bucket is empty: so is ours (TAT >= now + limit * interval).
PAUSE_CONTINUOUS = (
    _NOW
    + """
local limit = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local untl
if ARGV[1] == '' then untl = now + interval else untl = now + tonumber(ARGV[1]) end
local cur = tonumber(redis.call('GET', KEYS[2]))
if untl > now and (not cur or untl > cur) then
  set_until(KEYS[2], untl, untl)
end
local tat = tonumber(redis.call('GET', KEYS[1])) or now
local empty = now + limit * interval
if tat < empty then
  set_until(KEYS[1], empty, empty)
end
return untl - now
"""
)

# Token cache. The token is JSON {"v": jwt, "e": expires_at, "r": refresh_at} (epoch
# seconds; "e"/"r" absent when the JWT has no exp claim).
#
# KEYS[1] token, KEYS[2] exchange lock; ARGV[1] now (epoch s), ARGV[2] lock owner,
# ARGV[3] lock timeout (ms). Returns {'token', raw} when a fresh token is cached,
# {'lock', raw-or-''} when the caller now holds the lock and must exchange,
# {'wait', raw-or-''} when another process is exchanging.
FETCH_TOKEN = """
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, t = pcall(cjson.decode, raw)
  if ok and type(t) == 'table' and type(t.v) == 'string' then
    if type(t.r) ~= 'number' or t.r > tonumber(ARGV[1]) then return {'token', raw} end
  end
end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {'lock', raw or ''} end
return {'wait', raw or ''}
"""

# KEYS[1] token, KEYS[2] lock; ARGV[1] token JSON, ARGV[2] ttl (ms), ARGV[3] lock owner.
STORE_TOKEN = """
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
"""

# KEYS[1] token; ARGV[1] the JWT that failed. Deletes only if it is still the cached one.
INVALIDATE_TOKEN = """
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, t = pcall(cjson.decode, raw)
  if ok and type(t) == 'table' and t.v == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
  end
end
return 0
"""

# KEYS[1] lock; ARGV[1] owner. Compare-and-delete: never frees another holder's lock.
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
