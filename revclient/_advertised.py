"""What a server advertises about a key's budget, read off an answer's headers.

Servers say it in several dialects, all read here, none required:

- IETF ``RateLimit-Policy`` / ``RateLimit`` (draft-ietf-httpapi-ratelimit-headers, structured
  fields): ``RateLimit-Policy: "default";q=100;w=60`` and ``RateLimit: "default";r=50;t=30``;
  the older drafts' ``RateLimit: limit=100, remaining=50, reset=30`` and ``RateLimit-Policy:
  100;w=60``;
- ``RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (earlier drafts);
- ``X-RateLimit-Limit`` / ``-Remaining`` / ``-Reset`` (GitHub and many gateways), the reset
  as seconds from now or as an epoch time.

The pipeline uses them to pause a key that the server says has nothing left, and to obey a
tighter limit than configured (never a looser one); ``client.budget()`` shows the last ones.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping

import attrs

from ._config import RateLimit, Rates, windows

__all__ = ["Advertised", "Budget", "WindowBudget", "obeyed", "read_advertised"]

#: A reset beyond this is an epoch time, not seconds from now (about 3 years).
_EPOCH = 100_000_000
_PARAM = re.compile(r"(?:^|[;,\s])(q|w|r|t|limit|remaining|reset)=([0-9.]+)")
_LEADING = re.compile(r"^\s*([0-9]+)\b")


@attrs.frozen
class Advertised:
    """The server's last word on the key's budget; ``None`` where it said nothing.

    ``limit`` requests per ``window`` seconds, ``remaining`` of them left, the window
    resetting in ``reset`` seconds (as of ``at``, ``time.time()``).
    """

    limit: int | None = None
    window: float | None = None
    remaining: int | None = None
    reset: float | None = None
    at: float = 0.0


@attrs.frozen
class WindowBudget:
    """One window of a key's budget (in :attr:`Budget.windows`): the limit in force and
    the tokens free in it now (``free - rate.kept`` of them for bulk calls)."""

    rate: RateLimit
    free: int


@attrs.frozen
class Budget:
    """A snapshot of one key's budget, from ``await client.budget()``.

    ``rate`` is the budget in force: the configured one (``configured``) or a tighter one
    the server advertised (one :class:`~revclient.RateLimit`, or a tuple of windows).
    ``windows`` shows each counting window; ``free`` tokens could start now in all of them
    (``None`` with a single ``refill="continuous"`` limit), ``in_flight`` requests hold one
    (``None`` where unknown), ``queued`` wait for one in this process (``queued_bulk`` of
    them in the bulk lane); the key is held for ``paused_for`` seconds (a 429, a quota, or a
    server that said nothing remains) and the pacer lets the next request start in
    ``next_start_in`` seconds. ``advertised`` is the server's last word.
    """

    rate: Rates
    configured: Rates
    free: int | None
    in_flight: int | None
    queued: int
    paused_for: float
    next_start_in: float
    advertised: Advertised | None
    queued_bulk: int = 0
    windows: tuple[WindowBudget, ...] = ()


def read_advertised(headers: Mapping[str, str]) -> Advertised | None:
    """The budget the answer advertises, or ``None`` when it carries no such header."""
    if not (  # on every answer: four lookups, nothing else when none is there
        "RateLimit" in headers
        or "RateLimit-Policy" in headers
        or "RateLimit-Remaining" in headers
        or "X-RateLimit-Remaining" in headers
    ):
        return None
    limit = window = remaining = reset = None
    for name in ("RateLimit-Policy", "RateLimit"):
        value = headers.get(name)
        if value is None:
            continue
        params = dict(_PARAM.findall(value.split(",")[0] if name == "RateLimit-Policy" else value))
        limit = _int(params.get("q") or params.get("limit")) or limit
        window = _float(params.get("w")) or window
        remaining = _int(params.get("r") or params.get("remaining"), remaining)
        reset = _float(params.get("t") or params.get("reset"), reset)
        if name == "RateLimit-Policy" and limit is None:
            leading = _LEADING.match(value)
            limit = _int(leading.group(1)) if leading else None
    for prefix in ("RateLimit-", "X-RateLimit-"):
        limit = limit if limit is not None else _int(headers.get(prefix + "Limit"))
        remaining = _int(headers.get(prefix + "Remaining"), remaining)
        reset = _float(headers.get(prefix + "Reset"), reset)
    now = time.time()
    if reset is not None and reset > _EPOCH:
        reset = max(0.0, reset - now)
    if limit is None and remaining is None:
        return None
    return Advertised(limit, window, remaining, reset, now)


def obeyed(configured: Rates, advertised: Advertised) -> Rates:
    """The budget to keep: ``configured``, or the advertised limit where it is tighter than
    the configured window of the same period (the shortest window when the server names no
    period; a period the configuration lacks is ignored)."""
    limit = advertised.limit
    if limit is None:
        return configured
    rates = windows(configured)
    period = rates[0].period if advertised.window is None else advertised.window
    out = tuple(
        attrs.evolve(
            r,
            limit=limit,
            burst=min(r.burst, limit),
            reserve=r.reserve if math.ceil(r.reserve * limit) < limit else 0.0,
        )
        if r.period == period and 0 < limit < r.limit
        else r
        for r in rates
    )
    if out == rates:
        return configured
    return out if len(out) > 1 else out[0]


def _int(value: str | None, default: int | None = None) -> int | None:
    number = _float(value)
    return int(number) if number is not None and number == int(number) else default


def _float(value: str | None, default: float | None = None) -> float | None:
    if value is None:
        return default
    try:
        number = float(value.strip().split(",")[0].split(";")[0])
    except ValueError:
        return default
    return number if math.isfinite(number) and number >= 0 else default
