"""Lua scripts of the Redis backend (one round trip each, atomic on the server).

Times are integer microseconds of the Redis server's clock (``TIME``): every process and
host compares against the same clock, so client clock skew cannot let two processes
squeeze extra requests into one window. (2**53 microseconds is 285 years: exact in a
Lua number and in a sorted-set score.) The algorithm is explained in the docstring of
:mod:`revclient.backends.redis`.
"""

from __future__ import annotations

from .._ratelimit import _DECREASE, _RECOVERY

__all__ = [
    "ACQUIRE_PACED",
    "ACQUIRE_WINDOW",
    "BUDGET",
    "FETCH_TOKEN",
    "HOLD",
    "INVALIDATE_TOKEN",
    "PAUSE",
    "RELEASE",
    "STORE_TOKEN",
    "UNDO",
    "UNLOCK",
]

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function fmt(v) return string.format('%.0f', v) end
-- Store a time (us) under key k until the time ``untl`` passes.
local function set_until(k, v, untl)
  redis.call('SET', k, fmt(v), 'PX', math.floor((untl - now) / 1000) + 10)
end
-- Hold the key whose pause is stored under k until ``untl``, unless held longer already.
local function hold_until(k, untl)
  local cur = tonumber(redis.call('GET', k))
  if not cur or untl > cur then set_until(k, untl, untl) end
end
"""

# The limiter scripts share their keys and first arguments:
#
# KEYS[1] reservations (sorted set: member -> start or release time; window mode only),
# KEYS[2] pause_until, KEYS[3] the pacer's theoretical arrival time (TAT), KEYS[4] what the
# key learned from 429s (hash: b = burst, s = the interval right after the last slowdown,
# c = when the pace last changed).
# ARGV[1] limit, ARGV[2] cooldown (period + margin, us), ARGV[3] base interval (us),
# ARGV[4] configured burst, ARGV[5] period (us), ARGV[6] how long a "no bursts" lesson is
# kept after its last use (ms).
_PACE = (
    f"""
local DECREASE = {_DECREASE!r}
local RECOVERY = {_RECOVERY!r}
"""
    + """
local limit = tonumber(ARGV[1])
local cooldown = tonumber(ARGV[2])
local base = tonumber(ARGV[3])
local configured = tonumber(ARGV[4])
local period = tonumber(ARGV[5])
local lesson = tonumber(ARGV[6])
local learned = redis.call('HMGET', KEYS[4], 'b', 's', 'c')
local burst = math.min(tonumber(learned[1]) or configured, configured)
local slow = tonumber(learned[2])
local changed = tonumber(learned[3])
-- The spacing at time t: the base, or the slowed interval whose rate climbs back by
-- RECOVERY of the base rate per period since the slowdown (derived, never ticked).
local function interval_at(t)
  if not slow or slow <= base then return base end
  local r = 1 / slow + RECOVERY * (t - (changed or t)) / (period * base)
  if r * base >= 1 then return base end
  return math.ceil(1 / r)
end
local tat = tonumber(redis.call('GET', KEYS[3]))
"""
)

# ACQUIRE_*: ARGV[7] the new member, ARGV[8] a member to drop first ('' for none: a
# re-reservation after a local 429), ARGV[9] the tokens of the exact window this call may
# not take (its reserve, for a bulk call; else 0), ARGV[10] how far ahead a bulk call may
# reserve (us; '' for an interactive call), ARGV[11] the number of counted windows, then
# four arguments per counted window (see _COUNTED); KEYS[5], KEYS[6], ... two keys per
# counted window. Returns {delay until the reserved start (us), now
# (us: the grant time), the TAT now stored, the TAT before ('' if none)}; the last two let a
# cancelled waiter give its place back (UNDO). A negative delay reserves nothing: ask
# again after that long (window mode, while the entry a slot would follow is unfinished).
#
# The start ``at`` is the earliest time that is (a) now or later, (b) after any 429 pause,
# (c) allowed by the pacer (GCRA): ``at >= TAT - (burst - 1) * interval``, then
# ``TAT = max(TAT, at) + interval``; in window mode also (d) not before the last
# reservation (first come, first served across processes) and (e) ``cooldown`` after the
# entry ``limit`` places back, once that entry's request has finished, so the ``limit - 1``
# entries after that one plus the new one are the only ones in any window ending at the
# new start.
_RESERVE = """
local next_tat = at + interval
if tat and tat > at then next_tat = tat + interval end
set_until(KEYS[3], next_tat, next_tat)
-- Used: a "no bursts" lesson lives on for as long again.
if learned[1] then redis.call('PEXPIRE', KEYS[4], lesson) end
local before = ''
if tat then before = fmt(tat) end
return {at - now, now, fmt(next_tat), before}
"""

# Counted windows: the long ones (a day of 150,000) and an exact window too large to keep
# one entry per request. Per window a hash (bucket -> tokens, and 'n' their total) and a
# sorted set (bucket -> the time its tokens return, us). A reservation counts in the bucket
# of ``start + cooldown`` (rounded up to ``grain``), and moves to ``release + cooldown``
# when its request finishes; a request that never finishes returns from its start (the
# cooldown's margin covers requests shorter than it). About period / grain (1,024)
# buckets per window, never one entry per request. ARGV per window: limit, the tokens
# this call may not take (reserve), cooldown (us), grain (us).
_COUNTED = """
local counted = tonumber(ARGV[11]) or 0
local function drained(h, z)
  local gone = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  if #gone > 0 then
    local sum = 0
    for _, b in ipairs(gone) do sum = sum + (tonumber(redis.call('HGET', h, b)) or 0) end
    redis.call('HDEL', h, unpack(gone))
    redis.call('ZREM', z, unpack(gone))
    redis.call('HINCRBY', h, 'n', -sum)
  end
  return tonumber(redis.call('HGET', h, 'n')) or 0
end
-- The bucket of tokens returning at time t (us), by name.
local function bucket(t, grain) return fmt(math.ceil(t / grain)) end
-- Add d tokens returning at time t (rounded up to the bucket's end).
local function count(h, z, t, grain, d)
  local b = bucket(t, grain)
  local left = redis.call('HINCRBY', h, b, d)
  redis.call('HINCRBY', h, 'n', d)
  if left <= 0 then
    redis.call('HDEL', h, b)
    redis.call('ZREM', z, b)
  elseif d > 0 then
    local back = math.ceil(t / grain) * grain
    redis.call('ZADD', z, fmt(back), b)
    local want = math.floor((back - now) / 1000) + 10
    for _, k in ipairs({h, z}) do
      if redis.call('PTTL', k) < want then redis.call('PEXPIRE', k, want) end
    end
  end
end
"""

# The counted windows admit the call, or it asks again when enough tokens have returned.
_COUNTED_CHECK = """
for j = 1, counted do
  local h, z = KEYS[3 + 2 * j], KEYS[4 + 2 * j]
  local lim = tonumber(ARGV[8 + 4 * j]) - tonumber(ARGV[9 + 4 * j])
  local used = drained(h, z)
  if used >= lim then
    local need = used - lim + 1
    local back = redis.call('ZRANGE', z, 0, -1, 'WITHSCORES')
    local t = now
    for i = 1, #back, 2 do
      need = need - (tonumber(redis.call('HGET', h, back[i])) or 0)
      t = tonumber(back[i + 1])
      if need <= 0 then break end
    end
    return {-math.max(1000, t - now), now, '', ''}
  end
end
-- A bulk call reserves no further ahead than ARGV[10]: an interactive call that comes
-- later takes the slots after it, rather than queueing behind every bulk reservation.
if ARGV[10] ~= '' and at - now > tonumber(ARGV[10]) then
  return {-math.max(1000, at - now - tonumber(ARGV[10])), now, '', ''}
end
"""

_COUNTED_COMMIT = """
for j = 1, counted do
  count(KEYS[3 + 2 * j], KEYS[4 + 2 * j], at + tonumber(ARGV[10 + 4 * j]),
    tonumber(ARGV[11 + 4 * j]), 1)
end
"""

_START = """
local interval = interval_at(now)
local at = now
local pause = tonumber(redis.call('GET', KEYS[2]))
if pause and pause > at then at = pause end
if tat and tat - (burst - 1) * interval > at then at = tat - (burst - 1) * interval end
"""

ACQUIRE_WINDOW = (
    _NOW
    + _PACE
    + _COUNTED
    + """
if ARGV[8] ~= '' then redis.call('ZREM', KEYS[1], ARGV[8]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - cooldown)
"""
    + _START
    + """
local n = redis.call('ZCARD', KEYS[1])
local lim = limit - tonumber(ARGV[9])
if n > 0 then
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  local s = tonumber(last[2])
  if s > at then at = s end
  if n >= lim then
    local ref = redis.call('ZRANGE', KEYS[1], n - lim, n - lim, 'WITHSCORES')
    s = tonumber(ref[2]) + cooldown
    if string.sub(ref[1], 1, 2) ~= 'd:' then
      -- That entry's request has not finished (it waits for its start, or is in flight):
      -- when the server saw it is unknown (a lagging event loop sends late), so no slot
      -- can follow it yet. No reservation: ask again when it can be back at the earliest.
      return {-math.max(1000, s - now), now, '', ''}
    end
    if s > at then at = s end
  end
end
"""
    + _COUNTED_CHECK
    + """
redis.call('ZADD', KEYS[1], at, ARGV[7])
-- The newest entry is the last to matter: the key vanishes when it stops mattering.
redis.call('PEXPIRE', KEYS[1], math.floor((at - now + cooldown) / 1000) + 10)
"""
    + _COUNTED_COMMIT
    + _RESERVE
)

# No exact window: the pacer (a token bucket of capacity ``burst``) and counted windows.
ACQUIRE_PACED = _NOW + _PACE + _COUNTED + _START + _COUNTED_CHECK + _COUNTED_COMMIT + _RESERVE

# KEYS[1] reservations, KEYS[2] TAT, then the counted windows' pairs from KEYS[3];
# ARGV[1] the member to drop ('' for none), ARGV[2] the TAT this waiter stored ('' if
# unknown), ARGV[3] the TAT before it ('' if none), ARGV[4] the reserved start (us; '' if
# nothing was reserved), ARGV[5] the number of counted windows, then per window its
# cooldown and grain (us). A cancelled waiter gives its place back: its reservation
# always, its pacer slot when nobody reserved after it (best effort: otherwise the slot
# is simply not used).
UNDO = (
    _NOW
    + _COUNTED
    + """
if ARGV[4] ~= '' then
  for j = 1, tonumber(ARGV[5]) do
    local h, z = KEYS[1 + 2 * j], KEYS[2 + 2 * j]
    local t, grain = tonumber(ARGV[4]) + tonumber(ARGV[4 + 2 * j]), tonumber(ARGV[5 + 2 * j])
    if t > now and redis.call('HEXISTS', h, bucket(t, grain)) == 1 then
      count(h, z, t, grain, -1)
    end
  end
end
if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) == ARGV[2] then
  local before = tonumber(ARGV[3])
  if before and before > now then
    set_until(KEYS[2], before, before)
  else
    redis.call('DEL', KEYS[2])
  end
end
return 0
"""
)

# KEYS[1] reservations, then the counted windows' pairs from KEYS[2]; ARGV[1] member ('' when
# there is no exact window), ARGV[2] cooldown (us), ARGV[3] the reserved start (us),
# ARGV[4] the number of counted windows, then per window its cooldown and grain (us).
# The request is over: its tokens return ``cooldown`` after now rather than after its
# start, as in the in-memory bucket (the server saw it before its answer arrived). The
# entry is renamed ``d:<member>``: a finished request, which a new slot may follow.
RELEASE = (
    _NOW
    + _COUNTED
    + """
for j = 1, tonumber(ARGV[4]) do
  local h, z = KEYS[2 * j], KEYS[1 + 2 * j]
  local cool, grain = tonumber(ARGV[3 + 2 * j]), tonumber(ARGV[4 + 2 * j])
  local start = tonumber(ARGV[3])
  -- Still counted from its start (not yet returned): move it to now.
  if start + cool > now and redis.call('HEXISTS', h, bucket(start + cool, grain)) == 1 then
    count(h, z, start + cool, grain, -1)
    count(h, z, now + cool, grain, 1)
  end
end
local s = ARGV[1] ~= '' and redis.call('ZSCORE', KEYS[1], ARGV[1])
if s then
  local t = tonumber(s)
  if t < now then t = now end
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[1], t, 'd:' .. ARGV[1])
  local want = math.floor(tonumber(ARGV[2]) / 1000) + 10
  if redis.call('PTTL', KEYS[1]) < want then redis.call('PEXPIRE', KEYS[1], want) end
end
return 0
"""
)

# The server answered 429. ARGV[7] its Retry-After (us, '' for none), ARGV[8] when the
# request was granted (us, '' if unknown: then it is news), ARGV[9] '1' in window mode.
# Returns the time (us) before which no start reserved earlier may happen: the pause's
# end, or one interval after now.
#
# A 429 is news only for a request granted after the pace last changed; news while
# bursting drops the burst to 1, news while paced divides the rate by 1 / DECREASE (the
# interval is capped at the period). What was learned expires once it no longer matters
# (a slowdown once recovered, plus a cooldown); a "no bursts" lesson lives ``lesson`` ms.
# Always: nothing starts before one interval from now (TAT >= now + interval).
PAUSE = (
    _NOW
    + _PACE
    + """
local bursting = burst > 1
local granted = tonumber(ARGV[8]) or now
if not changed or granted > changed then
  if bursting then
    burst = 1
    redis.call('HSET', KEYS[4], 'b', 1, 'c', fmt(now))
  else
    slow = math.min(period, interval_at(now) / DECREASE)
    redis.call('HSET', KEYS[4], 's', fmt(slow), 'c', fmt(now))
  end
  changed = now
  local keep = cooldown
  if slow and slow > base then keep = keep + (1 - base / slow) * period / RECOVERY end
  keep = math.floor(keep / 1000) + 10
  if redis.call('HEXISTS', KEYS[4], 'b') == 1 and lesson > keep then keep = lesson end
  redis.call('PEXPIRE', KEYS[4], keep)
end
local interval = interval_at(now)
if not tat or tat < now + interval then
  tat = now + interval
  set_until(KEYS[3], tat, tat)
end
local untl
if ARGV[7] ~= '' then
  untl = now + tonumber(ARGV[7])
elseif bursting and ARGV[9] == '1' then
  -- The burst filled the server's window: wait until our oldest token returns.
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - cooldown)
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) <= now then
    untl = tonumber(first[2]) + cooldown
  else
    untl = now + cooldown
  end
end
if untl and untl > now then hold_until(KEYS[2], untl) end
local hold = now + interval - (burst - 1) * interval
if untl and untl > hold then hold = untl end
return fmt(hold)
"""
)

# KEYS[1] pause_until; ARGV[1] how long (us). The server said nothing remains until its
# reset: hold the key that long, learning nothing (not a 429).
HOLD = (
    _NOW
    + """
hold_until(KEYS[1], now + tonumber(ARGV[1]))
return 0
"""
)

# KEYS[1] reservations, KEYS[2] pause_until, KEYS[3] TAT, then the counted windows'
# pairs from KEYS[4]; ARGV[1] cooldown (us). For client.budget(): {entries in the window,
# of them unfinished, pause left (us), time until the TAT (us), then the tokens in use in
# each counted window}.
BUDGET = (
    _NOW
    + _COUNTED
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local entries = redis.call('ZRANGE', KEYS[1], 0, -1)
local unfinished = 0
for _, m in ipairs(entries) do
  if string.sub(m, 1, 2) ~= 'd:' then unfinished = unfinished + 1 end
end
local pause = tonumber(redis.call('GET', KEYS[2])) or now
local tat = tonumber(redis.call('GET', KEYS[3])) or now
local out = {#entries, unfinished, fmt(math.max(0, pause - now)), fmt(math.max(0, tat - now))}
for j = 1, (#KEYS - 3) / 2 do out[#out + 1] = drained(KEYS[2 + 2 * j], KEYS[3 + 2 * j]) end
return out
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
