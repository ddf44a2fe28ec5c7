"""The retry policy's decisions: what is retried, how long to wait, what Retry-After says.

The loop that acts on these decisions is :func:`revclient._pipeline.send`; this module
only answers questions, so the policy can be read (and tested) in one place.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

import aiohttp

from ._config import RetryPolicy

__all__ = ["IDEMPOTENT", "backoff", "parse_retry_after", "retry_failure", "retry_status"]

#: Methods that may be sent twice without changing the outcome (RFC 9110).
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# 500 is retried for idempotent methods only; so are 502/503/504 (the REV23 docs call
# 502/503 "typically temporary"). A POST that reached the server is never sent again.
_RETRY_IDEMPOTENT = frozenset({500, 502, 503, 504})


def retry_status(status: int, idempotent: bool) -> bool:
    """Whether an answer with ``status`` may be retried (429 aside, which always may)."""
    return idempotent and status in _RETRY_IDEMPOTENT


def retry_failure(exc: BaseException | None, idempotent: bool) -> bool:
    """Whether a request that got no HTTP answer (``exc``) may be sent again.

    A TLS refusal never (retrying cannot help); a connection that was never made always
    (nothing reached the server, so even a POST is safe); anything else (reset, timeout,
    a truncated body) only for idempotent requests, since the server may have acted.
    """
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return False
    if isinstance(exc, (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)):
        return True
    return idempotent


def backoff(policy: RetryPolicy, retry_number: int) -> float:
    """Seconds to sleep before retry ``retry_number`` (1-based): exponential, equal jitter."""
    ceiling = min(policy.backoff_cap, policy.backoff_base * (2 ** (retry_number - 1)))
    return float(ceiling / 2 + random.uniform(0, ceiling / 2))


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date).

    Fractions are accepted (the sandbox sends them for scaled-down tests); negative values
    and dates in the past mean "now" (0); a missing or unparseable header gives ``None``,
    which the pipeline treats like no header at all.
    """
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
