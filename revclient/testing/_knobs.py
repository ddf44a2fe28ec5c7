"""What the sandbox's admin knobs turn and its stats read: keys, tokens, faults, the log.

The public value types (:class:`KeyStats`, :class:`RequestRecord`, :class:`SandboxStats`,
:class:`Fault`) and :class:`State`, the server state that the knobs of
:class:`~revclient.testing.Sandbox`, the middleware and the route handlers share (under one
lock, since the knobs may be turned from any thread).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from ._jwt import encode_hs256
from ._limits import RateLimiter

__all__ = [
    "FAULTS",
    "Api",
    "Fault",
    "Key",
    "KeyStats",
    "RequestRecord",
    "SandboxStats",
    "State",
    "demo_keys",
    "new_fault",
]

Api = Literal["rev23", "revio"]

#: Named faults accepted by :meth:`Sandbox.inject` (an ``int`` HTTP status is accepted too).
FAULTS = (
    "drop_before",
    "drop_after",
    "malformed",
    "html",
    "empty",
    "wrong_content_type",
    "timeout",
)


@dataclass
class KeyStats:
    """Counters for one API key (a snapshot; see :attr:`Sandbox.stats`).

    ``arrivals`` holds the monotonic arrival times of accepted requests only: requests
    answered 429 do not count toward the rate-limit window and are counted in
    ``rate_limited`` instead. ``exchanges`` counts successful Rev.io key exchanges,
    ``failed_exchanges`` exchanges refused for this (revoked) key. ``requests`` counts every
    request attributed to the key, whatever its outcome.
    """

    label: str
    api: str
    requests: int = 0
    arrivals: list[float] = field(default_factory=list)
    rate_limited: int = 0
    exchanges: int = 0
    failed_exchanges: int = 0
    #: Requests refused by the quota (403, as Azure API Management answers).
    quota_exceeded: int = 0


@dataclass(frozen=True)
class RequestRecord:
    """One logged request. ``status`` is 0 when the connection was dropped without answer."""

    method: str
    path: str
    status: int
    key: str | None
    arrival: float
    fault: str | None = None


@dataclass
class SandboxStats:
    """A snapshot of the sandbox's counters: per-key stats and the request log."""

    keys: dict[str, KeyStats]
    log: list[RequestRecord]
    total_requests: int

    def statuses(self, key: str | None = None) -> list[int]:
        """Statuses of logged requests, optionally only those attributed to ``key``."""
        return [r.status for r in self.log if key is None or r.key == key]


@dataclass
class Fault:
    """An injected fault (returned by :meth:`Sandbox.inject`). ``remaining`` counts down."""

    kind: str
    status: int | None
    path: str | None
    method: str | None
    remaining: int
    headers: Mapping[str, str] | None = None
    body: Any = None
    delay: float = 30.0

    @property
    def name(self) -> str:
        """The name written to the request log (the status code for status faults)."""
        return str(self.status) if self.kind == "status" else self.kind

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request."""
        if self.method is not None and self.method != method:
            return False
        return self.path is None or path.startswith(self.path)


def new_fault(
    fault: int | str,
    *,
    path: str | None,
    method: str | None,
    times: int,
    headers: Mapping[str, str] | None,
    body: Any,
    delay: float,
) -> Fault:
    """The :class:`Fault` that :meth:`Sandbox.inject` asks for, or the error in its arguments."""
    if isinstance(fault, bool) or not isinstance(fault, int | str):
        raise TypeError("fault must be an HTTP status or a fault name")
    if isinstance(fault, int):
        if not 100 <= fault <= 599:
            raise ValueError("status must be in 100..599")
        kind, status = "status", fault
    elif fault in FAULTS:
        kind, status = fault, None
    else:
        raise ValueError(f"unknown fault {fault!r}; expected a status or one of {FAULTS}")
    if times < 1:
        raise ValueError("times must be >= 1")
    return Fault(
        kind=kind,
        status=status,
        path=path,
        method=method.upper() if method else None,
        remaining=times,
        headers=dict(headers) if headers else None,
        body=body,
        delay=delay,
    )


def demo_keys(seed: int | str | None) -> tuple[str, str]:
    """The default (REV23, Rev.io PSA) API keys of a sandbox made with ``seed``.

    The same seed gives the same keys in every process and at every start, so an exported
    environment survives a restart (``0`` and ``"0"`` are the same seed); ``None`` gives fresh
    random keys.
    """
    if seed is None:
        return "ca_" + secrets.token_hex(20), secrets.token_urlsafe(32)

    def derive(api: str) -> bytes:
        return hashlib.sha256(f"revclient-sandbox:{seed}:{api}".encode()).digest()

    revio = base64.urlsafe_b64encode(derive("revio")).decode().rstrip("=")
    return "ca_" + derive("rev23").hex()[:40], revio


class KeyCounters:
    """One key's counters (:class:`KeyStats` is their snapshot)."""

    __slots__ = (
        "arrivals",
        "exchanges",
        "failed_exchanges",
        "quota_exceeded",
        "rate_limited",
        "requests",
    )

    def __init__(self, maxlen: int | None) -> None:
        self.arrivals: deque[float] = deque(maxlen=maxlen)
        self.requests = 0
        self.rate_limited = 0
        self.quota_exceeded = 0
        self.exchanges = 0
        self.failed_exchanges = 0


class Key:
    """One API key: its secret, stats label, rate-limit and quota state and counters."""

    __slots__ = (
        "api",
        "label",
        "limiter",
        "quota_from",
        "quota_used",
        "revoked",
        "secret",
        "stats",
        "sub",
    )

    def __init__(self, api: Api, secret: str, label: str, log_limit: int | None) -> None:
        self.api: Api = api
        self.secret = secret
        self.label = label
        # Opaque subject for JWTs: never the key itself.
        self.sub = "key_" + secrets.token_hex(8)
        self.revoked = False
        self.limiter: RateLimiter | None = None  # created at the key's first admission
        self.quota_from: float | None = None  # start of the quota's current period
        self.quota_used = 0
        self.stats = KeyCounters(log_limit)


class State:
    """The server state shared by the knobs, the middleware and the route handlers.

    Every read or write of it from more than one statement holds ``lock``.
    """

    def __init__(self, log_limit: int | None) -> None:
        self.lock = threading.Lock()
        self.log_limit = log_limit
        # Keys by secret, by stats label and by JWT subject.
        self.keys: dict[str, Key] = {}
        self.labels: dict[str, Key] = {}
        self.subs: dict[str, Key] = {}
        # Where "fixed_window" and "sliding_counter" align their windows.
        self.origin = time.monotonic()
        self.jwt_secret = secrets.token_bytes(32)
        self.jti_serial: dict[str, int] = {}
        self._serials = itertools.count(1)
        self.expired_through = 0  # tokens with a serial <= this are expired
        self.faults: list[Fault] = []
        self.log: deque[RequestRecord] = deque(maxlen=log_limit)
        self.total = 0

    # ------------------------------------------------ keys and tokens

    def new_key(self, api: Api, secret: str) -> Key:
        """Register a key; the first of each API is labelled with the API's name."""
        if api not in self.labels:
            label: str = api
        else:
            label = base = secret[:12]
            n = 2
            while label in self.labels:
                label, n = f"{base}#{n}", n + 1
        key = Key(api, secret, label, self.log_limit)
        self.keys[secret] = key
        self.labels[label] = key
        self.subs[key.sub] = key
        return key

    def key(self, name: str) -> Key:
        """The key with this stats label or secret."""
        key = self.labels.get(name) or self.keys.get(name)
        if key is None:
            raise KeyError("unknown key or label")
        return key

    def issue_token(self, key: Key, ttl: float) -> str:
        """A new JWT for ``key``, valid ``ttl`` seconds (a successful key exchange)."""
        now = time.time()
        jti = secrets.token_hex(12)
        with self.lock:
            self.jti_serial[jti] = next(self._serials)
            key.stats.exchanges += 1
        claims = {"sub": key.sub, "iat": now, "exp": now + ttl, "jti": jti}
        return encode_hs256(claims, self.jwt_secret)

    def expire_tokens(self) -> None:
        """Expire every JWT issued so far."""
        with self.lock:
            self.expired_through = max(self.jti_serial.values(), default=0)

    # ------------------------------------------------ faults and the log

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first pending fault matching a request, counted down."""
        with self.lock:
            for i, fault in enumerate(self.faults):
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self.faults[i]
                    return fault
        return None

    def record(
        self,
        request: web.Request,
        arrival: float,
        status: int,
        key: Key | None,
        fault: Fault | None,
    ) -> None:
        """Log one request's outcome and count it for its key."""
        with self.lock:
            self.total += 1
            self.log.append(
                RequestRecord(
                    request.method,
                    request.path,
                    status,
                    key.label if key else None,
                    arrival,
                    fault.name if fault else None,
                )
            )
            if key is not None:
                key.stats.requests += 1

    # ------------------------------------------------ stats

    def snapshot(self) -> SandboxStats:
        """A consistent copy of every counter and the log."""
        with self.lock:
            keys = {
                k.label: KeyStats(
                    label=k.label,
                    api=k.api,
                    requests=k.stats.requests,
                    arrivals=list(k.stats.arrivals),
                    rate_limited=k.stats.rate_limited,
                    exchanges=k.stats.exchanges,
                    failed_exchanges=k.stats.failed_exchanges,
                    quota_exceeded=k.stats.quota_exceeded,
                )
                for k in self.labels.values()
            }
            return SandboxStats(keys=keys, log=list(self.log), total_requests=self.total)

    def reset_stats(self) -> None:
        """Clear the counters and the log (rate-limit state stays)."""
        with self.lock:
            self.log.clear()
            self.total = 0
            for k in self.labels.values():
                k.stats = KeyCounters(self.log_limit)

    def arrivals(self, name: str) -> list[float]:
        """The accepted arrivals of a key (label or secret), in time order."""
        with self.lock:
            return sorted(self.key(name).stats.arrivals)
