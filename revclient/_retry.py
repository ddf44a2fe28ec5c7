"""The retry policy in one place: what is retried, after how long, and what Retry-After says.

:func:`decide` is the only place that answers "try again, and when?". It is a pure
function of what one attempt came to (:class:`Outcome`), so every rule in DESIGN.md
"Retries" is a row in a table-driven test; the loop that acts on it is
:func:`revclient._pipeline.send`.
"""

from __future__ import annotations

import math
import random
import re
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import attrs

from ._config import RetryPolicy
from .errors import ConnectError, TLSError, TransportError

__all__ = [
    "IDEMPOTENT",
    "Outcome",
    "Retry",
    "backoff",
    "decide",
    "parse_quota_wait",
    "parse_retry_after",
]

#: Methods that may be sent twice without changing the outcome (RFC 9110).
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# 500 is retried for idempotent methods only; so are 502/503/504 (the REV23 docs call
# 502/503 "typically temporary"). A POST that reached the server is never sent again.
_RETRY_IDEMPOTENT = frozenset({500, 502, 503, 504})


@attrs.frozen(slots=True)
class Outcome:
    """What one attempt came to: an HTTP ``status``, or the ``error`` that stopped it.

    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    status: int | None = None
    error: TransportError | None = None
    retry_after: float | None = None


@attrs.frozen(slots=True)
class Retry:
    """Try again after ``delay`` seconds.

    ``throttled`` means the server rate-limited the request (429): the attempt is not
    counted against ``max_attempts``, and on a paced key the key's limiter holds every
    request on it for the delay instead of the caller sleeping.
    """

    delay: float
    throttled: bool = False


def decide(
    outcome: Outcome,
    attempt: int,
    elapsed: float,
    idempotent: bool,
    policy: RetryPolicy,
    *,
    paced: bool = True,
    throttled: int = 0,
) -> Retry | None:
    """Whether to retry after ``outcome``, and when; ``None`` means give up.

    ``attempt`` is the 1-based number of this attempt among those ``max_attempts`` counts
    (429s are not counted), ``elapsed`` the seconds since the first one, ``paced`` whether a
    limiter paces the key (``rate_limit`` is not ``None``), ``throttled`` how many 429s
    this call met before this outcome.

    - 429, and 403 with a replenish time (a quota: ``retry_after`` set): retried without
      counting the attempt, after Retry-After, unless Retry-After
      exceeds ``max_retry_after`` or the wait would end past ``total_timeout``. On a paced
      key the key's pause is the wait; without a limiter nothing slows the key, so the wait
      is the longer of Retry-After and an exponential backoff (``Retry-After: 0`` cannot
      make the client hammer the server).
    - No connection made (:class:`ConnectError`): retried for every method, nothing was
      sent. TLS failure: never. Any other transport failure: idempotent methods only.
    - 500, 502, 503, 504: idempotent methods only. Every other status: never.
    - Nothing else is retried past ``max_attempts``, or when the backoff would end past
      ``total_timeout``.
    """
    if outcome.status == 429 or (outcome.status == 403 and outcome.retry_after is not None):
        # A 429, or a quota (403 with a replenish time): the same wait, the same limits.
        asked = outcome.retry_after
        wait = asked or 0.0
        if not paced:
            wait = max(wait, backoff(policy, throttled + 1))
        if (asked is not None and asked > policy.max_retry_after) or (
            elapsed + wait > policy.total_timeout
        ):
            return None
        return Retry(wait, throttled=True)
    if not _replayable(outcome, idempotent) or attempt >= policy.max_attempts:
        return None
    delay = backoff(policy, attempt)
    if elapsed + delay > policy.total_timeout:
        return None
    return Retry(delay)


def _replayable(outcome: Outcome, idempotent: bool) -> bool:
    error = outcome.error
    if error is None:
        return idempotent and outcome.status in _RETRY_IDEMPOTENT
    if isinstance(error, TLSError):
        return False  # retrying cannot fix a certificate
    if isinstance(error, ConnectError):
        return True  # nothing reached the server, so even a POST is safe
    return idempotent  # the server may have acted on it


def backoff(policy: RetryPolicy, retry_number: int) -> float:
    """Seconds to sleep before retry ``retry_number`` (1-based): exponential, equal jitter."""
    ceiling = min(policy.backoff_cap, policy.backoff_base * (2 ** (retry_number - 1)))
    return float(ceiling / 2 + random.uniform(0, ceiling / 2))


# Azure API Management's quota answer: "Out of call volume quota. Quota will be replenished
# in 5.03:23:11." (a .NET TimeSpan: [d.]hh:mm:ss[.fffffff]).
_REPLENISHED = re.compile(rb"replenished in (?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)")


def parse_quota_wait(headers: Mapping[str, str], body: bytes) -> float | None:
    """Seconds until a quota replenishes, from a 403 answer: its ``Retry-After``, else the
    time in an APIM quota message; ``None`` for a 403 that is no quota (a permission)."""
    wait = parse_retry_after(headers)
    if wait is not None:
        return wait
    found = _REPLENISHED.search(body[:4096])
    if found is None:
        return None
    days, hours, minutes, seconds = found.groups()
    return (int(days or 0) * 24 + int(hours)) * 3600 + int(minutes) * 60 + float(seconds)


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After-Ms`` or ``Retry-After`` header (delta-seconds or HTTP-date).

    Fractions are accepted (the sandbox sends them for scaled-down tests); negative values
    and dates in the past mean "now" (0); a missing or unparseable header gives ``None``,
    which the pipeline treats like no header at all.
    """
    millis = headers.get("Retry-After-Ms")  # Azure's and others' finer form
    if millis is not None:
        try:
            wait = float(millis) / 1000
        except ValueError:
            wait = math.nan
        if math.isfinite(wait):
            return max(0.0, wait)
    value = headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None or when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - time.time())
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)
