"""Settings objects (:class:`RateLimit`, :class:`RetryPolicy`) and input validation.

Validation lives here so that every bad argument fails at construction time with a
:class:`~revclient.errors.ConfigurationError` that says what to fix, never deep inside a
request, and never with the secret in the message.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import re
from collections.abc import Sequence
from typing import Literal, TypeAlias
from urllib.parse import urlsplit

import attrs

from .errors import ConfigurationError

__all__ = ["Priority", "RateLimit", "Rates", "RetryPolicy"]

#: A request's lane in its key's queue: ``"interactive"`` (the default) or ``"bulk"``.
Priority: TypeAlias = Literal["interactive", "bulk"]
PRIORITIES: tuple[Priority, ...] = ("interactive", "bulk")


def _positive(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigurationError(f"{attr.name} must be a positive number, got {value!r}")


def _non_negative(_inst: object, attr: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ConfigurationError(f"{attr.name} must be a number >= 0, got {value!r}")


def _positive_int(_inst: object, attr: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{attr.name} must be an integer >= 1, got {value!r}")


@attrs.frozen
class RateLimit:
    """A per-key request budget: at most ``limit`` requests start in any ``period`` seconds.

    By default requests are *paced*: they start no closer than :attr:`interval` (``period /
    limit`` plus ``jitter``) apart, which every server family accepts (fixed and sliding
    windows, sliding-window estimates such as HAProxy's or Azure API Management's, leaky
    buckets such as nginx ``limit_req`` without ``burst``, token buckets). ``burst=N`` lets up
    to ``N`` requests start back to back when the key has been idle, for servers known to
    accept bursts (nginx ``limit_req burst=N``, a token bucket of capacity ``N``, an exact
    window counter); a 429 while bursting drops the key back to pacing.

    ``refill="window"`` (default) also holds each request's token until ``period + margin``
    seconds after the request *finished*, so no window the server may count ever holds more
    than ``limit`` arrivals, whatever the network jitter (the server saw the request before
    its answer arrived). ``refill="continuous"`` is a plain token bucket (capacity ``burst``,
    refilled at one token per :attr:`interval`) without that window guarantee.

    ``margin`` (seconds) is added to every token's return time (``None``: 1 ms plus 0.05 % of
    the period, 31 ms for a minute); ``jitter`` (seconds) is added to the spacing between
    paced requests to absorb arrival jitter (``None``: 1 ms plus 1 % of ``period / limit``,
    4 ms at 200 per minute; see :func:`default_jitter`).

    ``reserve`` (a fraction, 0 by default) keeps the last ``ceil(reserve * limit)`` tokens of
    the window for ``priority="interactive"`` calls: ``priority="bulk"`` calls (pulls) never
    take them, so a web app's calls do not wait behind a pull on the same key.

    A key may have several windows: ``rate_limit=[RateLimit(500, 60), RateLimit(150_000,
    86_400)]``; a request starts only when each admits it. The shortest window sets the
    pace (its ``burst``, ``jitter`` and ``refill`` apply); the longer ones count.
    """

    limit: int = attrs.field(default=200, validator=_positive_int)
    period: float = attrs.field(default=60.0, validator=_positive)
    refill: Literal["window", "continuous"] = attrs.field(default="window")
    margin: float | None = attrs.field(default=None)
    burst: int = attrs.field(default=1, validator=_positive_int)
    jitter: float | None = attrs.field(default=None)
    reserve: float = attrs.field(default=0.0, validator=_non_negative)

    @refill.validator
    def _check_refill(self, _attr: attrs.Attribute[str], value: str) -> None:
        if value not in ("window", "continuous"):
            raise ConfigurationError(f"refill must be 'window' or 'continuous', got {value!r}")

    @margin.validator
    def _check_margin(self, attr: attrs.Attribute[float | None], value: float | None) -> None:
        if value is not None:
            _non_negative(self, attr, value)  # type: ignore[arg-type]

    @burst.validator
    def _check_burst(self, _attr: attrs.Attribute[int], value: int) -> None:
        if value > self.limit:
            raise ConfigurationError(
                f"burst must be at most limit ({self.limit}), got {value!r}: a server that "
                "accepts more than its limit at once does not count a limit"
            )

    @jitter.validator
    def _check_jitter(self, attr: attrs.Attribute[float | None], value: float | None) -> None:
        if value is not None:
            _non_negative(self, attr, value)  # type: ignore[arg-type]

    @reserve.validator
    def _check_reserve(self, _attr: attrs.Attribute[float], value: float) -> None:
        if value >= 1 or math.ceil(value * self.limit) >= self.limit:
            raise ConfigurationError(
                f"reserve must leave bulk calls at least one token of the {self.limit}, "
                f"got {value!r} (a fraction such as 0.2)"
            )

    @property
    def kept(self) -> int:
        """Tokens of every window that only interactive calls may take."""
        return math.ceil(self.reserve * self.limit)

    @property
    def effective_margin(self) -> float:
        """The guard added to every token's return time, in seconds."""
        if self.margin is not None:
            return float(self.margin)
        return 0.001 + self.period * 0.0005

    @property
    def interval(self) -> float:
        """Seconds between the starts of paced requests: ``period / limit`` plus ``jitter``."""
        jitter = default_jitter(self) if self.jitter is None else float(self.jitter)
        return self.period / self.limit + jitter


def default_jitter(rate: RateLimit) -> float:
    """The spacing margin when none is given: 1 ms (a timer's rounding to the millisecond)
    plus 1 % of ``period / limit`` (arrival jitter grows with the distance to the server).

    The 1 ms part is capped at a tenth of ``period / limit``, so that a large budget (a
    thousand requests a second and more) is not capped at a thousand by the margin itself.
    """
    base = rate.period / rate.limit
    return min(0.001, 0.1 * base) + 0.01 * base


@attrs.frozen
class RetryPolicy:
    """How the request pipeline retries (the only place that does).

    Retried: 429 always, without spending an attempt (after the key's pause, while it fits
    ``max_retry_after`` and ``total_timeout``); 500, 502, 503, 504 and connection failures
    for idempotent methods; a POST/PATCH only when the connection was never made or on 429.
    ``max_attempts`` counts the first try (4 means three retries) and every attempt that
    failed for a reason other than a 429. Backoff is
    exponential with equal jitter between ``backoff_base`` and ``backoff_cap`` seconds;
    no retry starts after ``total_timeout`` seconds since the first attempt. A 429
    asking for more than ``max_retry_after`` seconds raises
    :class:`~revclient.errors.RateLimitError` instead of sleeping.
    """

    max_attempts: int = attrs.field(default=4, validator=_positive_int)
    backoff_base: float = attrs.field(default=0.5, validator=_non_negative)
    backoff_cap: float = attrs.field(default=8.0, validator=_non_negative)
    max_retry_after: float = attrs.field(default=120.0, validator=_non_negative)
    total_timeout: float = attrs.field(default=300.0, validator=_positive)

    @classmethod
    def none(cls) -> RetryPolicy:
        """A policy that never retries a failure. A 401 still re-authenticates once, and a
        429 still waits for the key's pause (it is not a failure, see above); pass
        ``max_retry_after=0`` as well to raise on a 429 that asks for any wait."""
        return cls(max_attempts=1)


# Keys are sent as header values: visible ASCII only. CR/LF would let one inject headers.
_KEY = re.compile(r"[\x21-\x7e]+")
_TENANT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
)


def check_secret(value: object, name: str, env: str) -> str:
    """Validate an API key without ever echoing it."""
    if value is None or value == "":
        raise ConfigurationError(f"no API key: pass {name}= or set {env}")
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")
    if not _KEY.fullmatch(value):
        raise ConfigurationError(
            f"{name} contains whitespace, control or non-ASCII characters; check {env}"
        )
    return value


def check_tenant(value: object, env: str) -> str:
    """A REV23 studio name: the subdomain label of ``mystudio.rev23.com``."""
    if value is None or value == "":
        raise ConfigurationError(f"no tenant: pass tenant= or set {env}")
    if not isinstance(value, str) or not _TENANT.fullmatch(value):
        raise ConfigurationError(
            f"tenant must be a studio subdomain such as 'mystudio' (letters, digits, '-'), "
            f"got {value!r}"
        )
    return value


def check_host(value: object, env: str) -> str:
    """A Rev.io PSA tenant domain such as ``acme.psarev.io``."""
    if value is None or value == "":
        raise ConfigurationError(f"no host: pass host= or set {env}")
    if not isinstance(value, str) or not _HOSTNAME.fullmatch(value):
        raise ConfigurationError(
            f"host must be the PSA site's domain such as 'acme.psarev.io', got {value!r}"
        )
    return value


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only plain-HTTP targets allowed)."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
        ".localhost"
    ):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_base_url(value: object, name: str, *, allow_insecure: bool) -> str:
    """An absolute http(s) URL with no credentials, query or fragment; HTTPS unless loopback."""
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{name} must be a URL string, got {value!r}")
    if any(ord(c) < 0x21 or ord(c) > 0x7E for c in value):
        raise ConfigurationError(f"{name} contains whitespace or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"{name} must be an absolute http(s) URL, got {value!r}")
    if parts.username or parts.password:
        raise ConfigurationError(f"{name} must not carry credentials")
    if parts.query or parts.fragment:
        raise ConfigurationError(f"{name} must not have a query or fragment, got {value!r}")
    if parts.scheme == "http" and not allow_insecure and not is_loopback(parts.hostname):
        raise ConfigurationError(
            f"{name} uses plain HTTP to a non-loopback host; use https:// "
            "or pass allow_insecure=True if you really mean it"
        )
    return value.rstrip("/")


def env_or(value: str | None, env: str) -> str | None:
    """The argument, or the environment variable when the argument is ``None``."""
    if value is not None:
        return value
    found = os.environ.get(env)
    return found if found else None


#: A key's budget: one window, or several (the shortest first).
Rates: TypeAlias = "RateLimit | tuple[RateLimit, ...]"


def check_rate_limit(value: object) -> Rates | None:
    """A key's budget: ``None`` for no rate limiting, one :class:`RateLimit`, or several
    windows (returned as a tuple, the shortest period first; one window is returned alone)."""
    if value is None or isinstance(value, RateLimit):
        return value
    if (
        isinstance(value, (str, bytes))
        or not isinstance(value, Sequence)
        or not value
        or not all(isinstance(r, RateLimit) for r in value)
    ):
        raise ConfigurationError(
            "rate_limit must be a revclient.RateLimit, a list of them (one per window, "
            "e.g. [RateLimit(500, 60), RateLimit(150_000, 86_400)]) or None"
        )
    rates: tuple[RateLimit, ...] = tuple(sorted(value, key=lambda r: (r.period, r.limit)))
    if len(rates) == 1:
        return rates[0]
    periods = [r.period for r in rates]
    if len(set(periods)) != len(periods):
        raise ConfigurationError(
            "rate_limit has two windows of the same period; keep the tighter one"
        )
    for rate in rates[1:]:
        if rate.refill != "window" or rate.burst != 1 or rate.jitter is not None:
            raise ConfigurationError(
                f"{rate!r}: refill, burst and jitter apply to the shortest window (it sets "
                "the pace); the longer windows only count"
            )
    return rates


def check_priority(value: object) -> Priority:
    """A call's lane: ``"interactive"`` or ``"bulk"``."""
    if value in PRIORITIES:
        return value
    raise ConfigurationError(f"priority must be 'interactive' or 'bulk', got {value!r}")


def windows(rates: Rates) -> tuple[RateLimit, ...]:
    """``rates`` as a tuple of windows, the shortest first."""
    return rates if isinstance(rates, tuple) else (rates,)


def check_retry(value: object) -> RetryPolicy:
    """The retry policy; ``None`` is the default policy."""
    if value is None:
        return RetryPolicy()
    if isinstance(value, RetryPolicy):
        return value
    raise ConfigurationError("retry must be a revclient.RetryPolicy")


def check_timeout(value: object) -> float | None:
    """Per-request timeout in seconds, or ``None`` for none."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 < value < float("inf")
    ):
        raise ConfigurationError(
            f"timeout must be a positive number of seconds (None for none), got {value!r}"
        )
    return float(value)


def key_label(api: str, key: str) -> str:
    """How a key may be shown: a REV23 key by its 12-character prefix (as REV23's own UI
    does), any other key by a short hash that tells keys apart without revealing them."""
    if api == "rev23" and key.startswith("ca_") and len(key) >= 20:
        return key[:12] + "..."
    return "key#" + hashlib.sha256(key.encode()).hexdigest()[:8]
