"""A local, strict fake of the REV23 Cloud API and the Rev.io PSA API (aiohttp.web).

Standalone on purpose: it imports nothing from the rest of ``revclient`` so that it keeps
working (and keeps judging the client) whatever state the client is in.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import contextvars
import hashlib
import itertools
import json
import math
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from typing import Any, Literal, cast

from aiohttp import web

from . import _data
from ._jwt import InvalidTokenError, decode_hs256, encode_hs256
from ._limits import RateLimiter, check_limiter, make_limiter

__all__ = [
    "COLLECTIONS",
    "ENVELOPES",
    "FAULTS",
    "METAS",
    "Fault",
    "KeyStats",
    "RequestRecord",
    "Sandbox",
    "SandboxStats",
    "demo_keys",
]

Api = Literal["rev23", "revio"]
ListShape = tuple[str, str]

#: Where a page-number list puts its items (``"bare"`` is a top-level JSON array).
ENVELOPES = ("bare", "data", "items", "records", "results", "data.items")
#: What a page-number list says about further pages, next to the items.
METAS = ("flag", "total", "cursor", "none")
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
# Faults that let the request go through the normal pipeline (auth, rate limit, handler).
_PASS_THROUGH_FAULTS = frozenset({"timeout", "wrong_content_type"})

COLLECTIONS = (
    "rev23_customers",
    "revio_customers",
    "contacts",
    "opportunities",
    "tickets",
    "projects",
)

_REV23_401 = "Missing or invalid API key or studio name"
_RATE_LIMIT_MESSAGE = "Rate limit exceeded. Wait briefly before retrying."
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
}
# The authenticated key of the request being handled (middleware and handler share a task).
# A context variable rather than request storage: web.RequestKey is recent in aiohttp.
_CURRENT_KEY: contextvars.ContextVar[_Key] = contextvars.ContextVar("revclient_sandbox_key")


# --------------------------------------------------------------------------------------
# Public value types
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# Internal state
# --------------------------------------------------------------------------------------


class _Key:
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

    def __init__(self, api: Api, secret: str, label: str) -> None:
        self.api: Api = api
        self.secret = secret
        self.label = label
        # Opaque subject for JWTs: never the key itself.
        self.sub = "key_" + secrets.token_hex(8)
        self.revoked = False
        self.limiter: RateLimiter | None = None  # created at the key's first admission
        self.quota_from: float | None = None  # start of the quota's current period
        self.quota_used = 0
        self.stats = _KeyCounters()


class _KeyCounters:
    __slots__ = (
        "arrivals",
        "exchanges",
        "failed_exchanges",
        "quota_exceeded",
        "rate_limited",
        "requests",
    )

    def __init__(self, maxlen: int | None = None) -> None:
        self.arrivals: deque[float] = deque(maxlen=maxlen)
        self.requests = 0
        self.rate_limited = 0
        self.quota_exceeded = 0
        self.exchanges = 0
        self.failed_exchanges = 0


class _Collection:
    """Records in id order with an id index; writes keep both in step."""

    def __init__(self, id_field: str, records: list[dict[str, Any]]) -> None:
        self.id_field = id_field
        self.items = records
        self.by_id = {r[id_field]: r for r in records}
        self.next_id = max(self.by_id, default=0) + 1

    def add(self, record: dict[str, Any]) -> int:
        new_id = self.next_id
        self.next_id += 1
        record[self.id_field] = new_id
        self.items.append(record)
        self.by_id[new_id] = record
        return new_id

    def replace(self, item_id: int, record: dict[str, Any]) -> bool:
        old = self.by_id.get(item_id)
        if old is None:
            return False
        record[self.id_field] = item_id
        self.items[self.items.index(old)] = record
        self.by_id[item_id] = record
        return True

    def delete(self, item_id: int) -> bool:
        old = self.by_id.pop(item_id, None)
        if old is None:
            return False
        self.items.remove(old)
        return True


class _AuthError(Exception):
    def __init__(self, status: int, detail: str, key: _Key | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.key = key


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def _json_response(
    status: int, payload: Any, *, content_type: str = "application/json"
) -> web.Response:
    return web.Response(status=status, body=_dumps(payload), content_type=content_type)


def _api_of(path: str) -> Api | Literal["exchange"] | None:
    if path.startswith("/api/v2/"):
        return "rev23"
    if path == "/api/v1/auth/api-key/exchange":
        return "exchange"
    if path.startswith(("/billing/", "/psac/", "/project-management/")):
        return "revio"
    return None


def _encode_cursor(offset: int, size: int) -> str:
    return "c1." + base64.urlsafe_b64encode(f"{offset}:{size}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, int]:
    if not cursor.startswith("c1."):
        raise ValueError(cursor)
    raw = cursor[3:]
    text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    offset, size = (int(part) for part in text.split(":"))
    if offset < 0 or size < 1:
        raise ValueError(cursor)
    return offset, size


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_CAMEL_TO_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")
_SNAKE_TO_CAMEL = re.compile(r"_([a-z0-9])")
# How a camelCase name is spelled in each casing, and back.
_CASINGS: dict[str, tuple[Callable[[str], str], Callable[[str], str]]] = {
    "camel": (lambda name: name, lambda name: name),
    "snake": (
        lambda name: _CAMEL_TO_SNAKE.sub(r"_\1", name).lower(),
        lambda name: _SNAKE_TO_CAMEL.sub(lambda m: m.group(1).upper(), name),
    ),
    "pascal": (lambda name: name[:1].upper() + name[1:], lambda name: name[:1].lower() + name[1:]),
}

#: The longest ticket description public callers send ("150 characters or less").
TICKET_DESCRIPTION_MAX = 150
#: The largest page the ticket list and the project list serve (public callers clamp to it).
LIST_PAGE_MAX = 500


def _when(text: str) -> datetime | None:
    """An ISO 8601 date-time (naive ones are UTC, as Rev.io sends them), or None."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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


# --------------------------------------------------------------------------------------
# The sandbox
# --------------------------------------------------------------------------------------


class Sandbox:
    """A local fake of both APIs, served on one origin (``url``).

    Use ``async with Sandbox() as sb:`` in async code or ``with Sandbox().run_in_thread() as
    sb:`` anywhere. See the package docstring of :mod:`revclient.testing` for the behaviour.

    Rate limiting: ``rate_limit=(limit, period)`` (``None`` disables it) is enforced per key by
    the server-side algorithm ``limiter``, one of :data:`~revclient.testing.LIMITERS`:
    ``"window_log"`` (default: at most ``limit`` accepted in any ``period``),
    ``"fixed_window"`` (windows aligned to the sandbox's creation), ``"sliding_counter"``
    (the two-window estimate), ``"leaky_bucket"`` (nginx ``limit_req`` with ``nodelay``) or
    ``"token_bucket"`` (AWS API Gateway). ``burst`` is for the buckets only: the leaky
    bucket's ``burst`` (default 0, as in nginx) and the token bucket's capacity (default
    ``limit``). See :mod:`revclient.testing._limits` for the exact rules and the
    ``Retry-After`` each one computes. Refused requests answer 429, never count toward the
    limit and are counted in :attr:`KeyStats.rate_limited`. A key's limiter is built when the
    key is first admitted, from the values of ``rate_limit``, ``limiter`` and ``burst`` then.

    ``Retry-After`` is whole seconds (rounded up, at least 1) by default, as HTTP defines it;
    ``retry_after="fractional"`` sends milliseconds precision (``"0.137"``), ``"date"`` an
    HTTP date and ``"none"`` no header.

    Keys: ``seed=`` derives the default keys (:func:`demo_keys`), the same for the same seed
    in every process; without it they are random, so that sandboxes in one test process do
    not share a key (one key is one rate budget and one cached JWT per process in
    revclient). ``rev23_api_key=`` and ``revio_api_key=`` set them outright.

    Opportunities: the casing public callers disagree on is ``opportunity_casing``
    (``"snake"``, the default, ``"camel"`` or ``"pascal"``): bodies in any other casing are
    refused with 400, as a server that binds one casing would ignore the fields.

    Quota: ``quota=(calls, period)`` allows each key ``calls`` admitted requests per renewal
    period (periods start at the key's first call) and answers the rest as Azure API
    Management's quota policy does: 403, ``Retry-After``, and "Out of call volume quota.
    Quota will be replenished in [d.]hh:mm:ss." (counted in :attr:`KeyStats.quota_exceeded`).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: tuple[int, float] | None = (200, 60.0),
        quota: tuple[int, float] | None = None,
        limiter: str = "window_log",
        burst: int | None = None,
        token_ttl: float = 3600.0,
        latency: float = 0.0,
        page_size: int = 50,
        max_page_size: int | None = None,
        records: int | Mapping[str, int] = 250,
        list_shape: ListShape | None = None,
        rev23_list_shape: ListShape | None = None,
        revio_list_shape: ListShape | None = None,
        retry_after: str = "seconds",
        seed: int | str | None = None,
        opportunity_casing: str = "snake",
        rev23_api_key: str | None = None,
        revio_api_key: str | None = None,
        rev23_tenant: str = "sandbox-studio",
        revio_host: str = "sandbox.psarev.io",
        log_limit: int | None = 1_000_000,
    ) -> None:
        if rate_limit is not None and (rate_limit[0] < 1 or rate_limit[1] <= 0):
            raise ValueError("rate_limit must be (limit >= 1, period > 0) or None")
        if quota is not None and (quota[0] < 1 or quota[1] <= 0):
            raise ValueError("quota must be (calls >= 1, renewal period > 0) or None")
        check_limiter(limiter, burst)
        if page_size < 1 or (max_page_size is not None and max_page_size < 1):
            raise ValueError("page sizes must be >= 1")
        if retry_after not in ("fractional", "seconds", "date", "none"):
            raise ValueError("retry_after must be 'fractional', 'seconds', 'date' or 'none'")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | str)):
            raise TypeError("seed must be an int, a str or None")
        if opportunity_casing not in _CASINGS:
            raise ValueError(f"opportunity_casing must be one of {tuple(_CASINGS)}")
        for shape in (list_shape, rev23_list_shape, revio_list_shape):
            if shape is not None and (shape[0] not in ENVELOPES or shape[1] not in METAS):
                raise ValueError(f"list shape {shape!r}: envelope in {ENVELOPES}, meta in {METAS}")
        self.host = host
        self.port = port
        self.rate_limit = rate_limit
        self.quota = quota
        self.limiter = limiter
        self.burst = burst
        # Where "fixed_window" and "sliding_counter" align their windows.
        self._origin = time.monotonic()
        self.token_ttl = token_ttl
        self.latency = latency
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.retry_after = retry_after
        self.seed = seed
        self.opportunity_casing = opportunity_casing
        self.rev23_tenant = rev23_tenant
        self.revio_host = revio_host
        # None means the API's native shape (REV23: data + page metadata; Rev.io: data only).
        self._shapes: dict[Api, ListShape | None] = {
            "rev23": rev23_list_shape or list_shape,
            "revio": revio_list_shape or list_shape,
        }
        self._log_limit = log_limit
        self._lock = threading.Lock()
        self._keys: dict[str, _Key] = {}
        self._labels: dict[str, _Key] = {}
        self._subs: dict[str, _Key] = {}
        default23, default_io = demo_keys(seed)
        self._rev23_key = self._new_key("rev23", rev23_api_key or default23)
        self._revio_key = self._new_key("revio", revio_api_key or default_io)
        self._jwt_secret = secrets.token_bytes(32)
        self._jti_serial: dict[str, int] = {}
        self._serials = itertools.count(1)
        self._expired_through = 0  # tokens with a serial <= this are expired
        self._faults: list[Fault] = []
        self._log: deque[RequestRecord] = deque(maxlen=log_limit)
        self._total = 0
        self._seed(records)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    # ---------------------------------------------------------------- public attributes

    @property
    def url(self) -> str:
        """Base URL serving both APIs and the key exchange, e.g. ``http://127.0.0.1:5123``."""
        if self._url is None:
            raise RuntimeError("the sandbox is not running")
        return self._url

    @property
    def rev23_api_key(self) -> str:
        """The default REV23 API key (label ``"rev23"`` in stats)."""
        return self._rev23_key.secret

    @property
    def revio_api_key(self) -> str:
        """The default Rev.io PSA API key (label ``"revio"`` in stats)."""
        return self._revio_key.secret

    def __repr__(self) -> str:
        return f"<Sandbox url={self._url or 'not running'}>"

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Start serving (idempotent failure: raises if already running)."""
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        app = web.Application(middlewares=[self._middleware])
        self._routes(app)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.25)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        port = runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self._url = f"http://{host}:{port}"

    async def stop(self) -> None:
        """Stop serving and close every connection."""
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def serve_forever(self) -> None:
        """Serve until cancelled (starts the server when needed; prints nothing)."""
        started = self._runner is None
        if started:
            await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            if started:
                await self.stop()

    def run_in_thread(self) -> _ThreadedSandbox:
        """Return a context manager serving this sandbox from a daemon thread.

        ``with Sandbox().run_in_thread() as sb:`` returns once the server listens and stops
        it cleanly on exit. Admin methods and stats may be used from any thread.
        """
        return _ThreadedSandbox(self)

    # ---------------------------------------------------------------- admin knobs

    def add_key(self, api: Api, key: str | None = None) -> str:
        """Create an extra API key for ``api`` (its own rate-limit window) and return it.

        Its stats label is the key's first 12 characters.
        """
        if api not in ("rev23", "revio"):
            raise ValueError("api must be 'rev23' or 'revio'")
        secret = key or (
            "ca_" + secrets.token_hex(20) if api == "rev23" else secrets.token_urlsafe(32)
        )
        with self._lock:
            if secret in self._keys:
                raise ValueError("key already exists")
            self._new_key(api, secret)
        return secret

    def key_label(self, key: str) -> str:
        """The stats label of an API key."""
        return self._key(key).label

    def revoke(self, api: Api = "revio", key: str | None = None) -> None:
        """Revoke a key (the default key of ``api`` unless ``key`` is given).

        REV23 calls with it answer 401; Rev.io exchanges answer 401 and calls made with its
        JWTs answer 401 ``"Token revoked"``.
        """
        with self._lock:
            self._key(key or api).revoked = True

    def restore(self, api: Api = "revio", key: str | None = None) -> None:
        """Undo :meth:`revoke`."""
        with self._lock:
            self._key(key or api).revoked = False

    def expire_tokens(self) -> None:
        """Make every JWT issued so far answer 401 ``"Token expired"`` from now on."""
        with self._lock:
            self._expired_through = max(self._jti_serial.values(), default=0)

    def inject(
        self,
        fault: int | str,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int = 1,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        delay: float = 30.0,
    ) -> Fault:
        """Inject a fault for the next ``times`` matching requests.

        ``fault`` is an HTTP status (with optional ``headers`` and ``body``: bytes are sent
        as is, anything else as JSON) or one of :data:`FAULTS`. ``path`` matches by prefix,
        ``method`` exactly. Faults fire in injection order. Faulted requests skip auth and
        rate limiting (so they never count toward a window), except ``"timeout"`` (sleeps
        ``delay`` seconds, then answers normally) and ``"wrong_content_type"`` (the normal
        answer, labelled ``text/plain``).
        """
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
        item = Fault(
            kind=kind,
            status=status,
            path=path,
            method=method.upper() if method else None,
            remaining=times,
            headers=dict(headers) if headers else None,
            body=body,
            delay=delay,
        )
        with self._lock:
            self._faults.append(item)
        return item

    def clear_faults(self) -> None:
        """Remove every pending fault."""
        with self._lock:
            self._faults.clear()

    # ---------------------------------------------------------------- stats

    @property
    def stats(self) -> SandboxStats:
        """A consistent snapshot of the counters (safe to read from any thread)."""
        with self._lock:
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
                for k in self._labels.values()
            }
            return SandboxStats(keys=keys, log=list(self._log), total_requests=self._total)

    def reset_stats(self) -> None:
        """Clear counters and the log (rate-limit windows are kept: they are server state)."""
        with self._lock:
            self._log.clear()
            self._total = 0
            for k in self._labels.values():
                k.stats = _KeyCounters(self._log_limit)

    def max_in_window(self, key: str = "rev23", period: float | None = None) -> int:
        """Most accepted arrivals of ``key`` (label or secret) in any half-open window.

        ``period`` defaults to the rate limit's period.
        """
        if period is None:
            if self.rate_limit is None:
                raise ValueError("period is required when rate limiting is disabled")
            period = self.rate_limit[1]
        with self._lock:
            times = sorted(self._key(key).stats.arrivals)
        best = start = 0
        for end, t in enumerate(times):
            while t - times[start] >= period:
                start += 1
            best = max(best, end - start + 1)
        return best

    # ---------------------------------------------------------------- internals: keys

    def _new_key(self, api: Api, secret: str) -> _Key:
        if api not in self._labels:
            label: str = api
        else:
            label = base = secret[:12]
            n = 2
            while label in self._labels:
                label, n = f"{base}#{n}", n + 1
        key = _Key(api, secret, label)
        key.stats = _KeyCounters(self._log_limit)
        self._keys[secret] = key
        self._labels[label] = key
        self._subs[key.sub] = key
        return key

    def _key(self, name: str) -> _Key:
        key = self._labels.get(name) or self._keys.get(name)
        if key is None:
            raise KeyError("unknown key or label")
        return key

    # ---------------------------------------------------------------- internals: data

    def _seed(self, records: int | Mapping[str, int]) -> None:
        if isinstance(records, int):
            counts = dict.fromkeys(COLLECTIONS, records)
        else:
            unknown = set(records) - set(COLLECTIONS)
            if unknown:
                raise ValueError(f"unknown collections {sorted(unknown)}; known: {COLLECTIONS}")
            counts = {name: records.get(name, 250) for name in COLLECTIONS}
        n_cust = counts["revio_customers"]
        self._rev23_customers = _Collection(
            "id", [_data.rev23_customer(i) for i in range(1, counts["rev23_customers"] + 1)]
        )
        self._revio_customers = _Collection(
            "customerId", [_data.revio_customer(i) for i in range(1, n_cust + 1)]
        )
        self._contacts = _Collection(
            "contactId", [_data.revio_contact(i, n_cust) for i in range(1, counts["contacts"] + 1)]
        )
        self._opportunities = _Collection(
            "opportunityId",
            [_data.opportunity(i, n_cust) for i in range(1, counts["opportunities"] + 1)],
        )
        self._tickets = _Collection(
            "ticketId", [_data.seeded_ticket(i, n_cust) for i in range(1, counts["tickets"] + 1)]
        )
        self._projects = _Collection(
            "projectId", [_data.project(i, n_cust) for i in range(1, counts["projects"] + 1)]
        )
        self._seeded_projects = counts["projects"]
        # Phases and milestones are not seeded: public code creates them on new projects.
        self._phases = _Collection("phaseId", [])
        self._milestones = _Collection("milestoneId", [])
        self._invoices: dict[int, list[dict[str, Any]]] = {}
        self._activity: dict[int, list[dict[str, Any]]] = {}

    # ---------------------------------------------------------------- internals: pipeline

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for i, fault in enumerate(self._faults):
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self._faults[i]
                    return fault
        return None

    def _record(
        self,
        request: web.Request,
        arrival: float,
        status: int,
        key: _Key | None,
        fault: Fault | None = None,
    ) -> None:
        with self._lock:
            self._total += 1
            self._log.append(
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

    def _identify(self, request: web.Request, api: str | None) -> _Key | None:
        """Best-effort key attribution for faulted requests (no validation)."""
        with self._lock:
            if api == "rev23":
                return self._keys.get(request.headers.get("X-Api-Key", ""))
            if api == "revio":
                token = request.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    claims = decode_hs256(token, self._jwt_secret)
                except InvalidTokenError:
                    return None
                return self._subs.get(str(claims.get("sub")))
        return None

    async def _authenticate(self, request: web.Request, api: str) -> _Key:
        if api == "rev23":
            return self._auth_rev23(request)
        if api == "exchange":
            return await self._auth_exchange(request)
        return self._auth_revio(request)

    def _auth_rev23(self, request: web.Request) -> _Key:
        headers = request.headers
        with self._lock:
            key = self._keys.get(headers.get("X-Api-Key", ""))
        if key is None or key.api != "rev23":
            raise _AuthError(401, _REV23_401)
        if key.revoked or headers.get("X-Tenant-Name") != self.rev23_tenant:
            raise _AuthError(401, _REV23_401, key)
        return key

    async def _auth_exchange(self, request: web.Request) -> _Key:
        if request.method != "POST":
            raise _AuthError(405, "Use POST to exchange an API key")
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            body = None
        api_key = body.get("apiKey") if isinstance(body, dict) else None
        if not isinstance(api_key, str):
            raise _AuthError(400, "The request body must be JSON with a string apiKey")
        with self._lock:
            key = self._keys.get(api_key)
            if key is not None and key.api == "revio" and key.revoked:
                key.stats.failed_exchanges += 1
        if key is None or key.api != "revio":
            raise _AuthError(401, "Invalid API key")
        if key.revoked:
            raise _AuthError(401, "Invalid API key", key)
        return key

    def _auth_revio(self, request: web.Request) -> _Key:
        authorization = request.headers.get("Authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _AuthError(401, "Missing bearer token")
        try:
            claims = decode_hs256(token.strip(), self._jwt_secret)
        except InvalidTokenError:
            raise _AuthError(401, "Invalid token") from None
        with self._lock:
            key = self._subs.get(str(claims.get("sub")))
            serial = self._jti_serial.get(str(claims.get("jti")))
            expired_through = self._expired_through
        exp = claims.get("exp")
        if key is None or serial is None or not isinstance(exp, int | float):
            raise _AuthError(401, "Invalid token")
        if key.revoked:
            raise _AuthError(401, "Token revoked", key)
        if serial <= expired_through or time.time() >= exp:
            raise _AuthError(401, "Token expired", key)
        host = request.headers.get("X-Revio-Host")
        if not host:
            raise _AuthError(400, "Missing X-Revio-Host header", key)
        if host.lower() != self.revio_host.lower():
            raise _AuthError(401, "Unknown X-Revio-Host", key)
        return key

    def _admit(self, key: _Key, arrival: float) -> float | None:
        """Count an arrival; if the key's limiter refuses it, return when a retry may succeed."""
        with self._lock:
            if self.rate_limit is not None:
                if key.limiter is None:
                    limit, period = self.rate_limit
                    key.limiter = make_limiter(
                        self.limiter, limit, period, burst=self.burst, origin=self._origin
                    )
                free_at = key.limiter.admit(arrival)
                if free_at is not None:
                    key.stats.rate_limited += 1
                    return free_at
            key.stats.arrivals.append(arrival)
        return None

    def _spend_quota(self, key: _Key, now: float) -> float | None:
        """Count one call against the key's quota; if none is left, return when the quota
        replenishes (periods start at the key's first call, as APIM's renewal periods)."""
        if self.quota is None:
            return None
        calls, period = self.quota
        with self._lock:
            if key.quota_from is None or now >= key.quota_from + period:
                start = now if key.quota_from is None else key.quota_from
                key.quota_from = start + (now - start) // period * period
                key.quota_used = 0
            if key.quota_used >= calls:
                key.stats.quota_exceeded += 1
                return key.quota_from + period
            key.quota_used += 1
            return None

    def _quota_answer(self, replenish: float) -> web.Response:
        # Azure API Management's quota-by-key answer: 403, Retry-After, and the wait as a
        # .NET TimeSpan ([d.]hh:mm:ss[.fffffff]) in the message.
        wait = max(replenish - time.monotonic(), 0.0)
        minutes, seconds = divmod(wait, 60)
        hours, minutes = divmod(int(minutes), 60)
        days, hours = divmod(hours, 24)
        span = f"{hours:02d}:{minutes:02d}:{seconds:010.7f}"
        days_part = f"{days}." if days else ""
        message = f"Out of call volume quota. Quota will be replenished in {days_part}{span}."
        return web.Response(
            status=403,
            body=_dumps({"statusCode": 403, "message": message}),
            content_type="application/json",
            headers=self._retry_after_header(replenish),
        )

    def _retry_after_header(self, free_at: float) -> dict[str, str]:
        wait = max(free_at - time.monotonic(), 0.0)
        if self.retry_after == "fractional":
            return {"Retry-After": f"{max(wait, 0.001):.3f}"}
        if self.retry_after == "seconds":
            return {"Retry-After": str(max(1, math.ceil(wait)))}
        if self.retry_after == "date":
            return {"Retry-After": formatdate(math.ceil(time.time() + wait), usegmt=True)}
        return {}

    def _error(
        self,
        api: str | None,
        status: int,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
    ) -> web.Response:
        if api == "rev23" or api is None:
            return _json_response(status, {"message": detail})
        problem: dict[str, Any] = {
            "type": "about:blank",
            "title": _TITLES.get(status, "Error"),
            "status": status,
            "detail": detail,
        }
        if errors is not None:
            problem["errors"] = errors
        return _json_response(status, problem, content_type="application/problem+json")

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        arrival = time.monotonic()
        path = request.path
        api = _api_of(path)
        fault = self._take_fault(request.method, path) if self._faults else None
        if fault is not None and fault.kind not in _PASS_THROUGH_FAULTS:
            return await self._fire(fault, request, arrival, self._identify(request, api))
        if api is None:
            response = self._error(None, 404, "Not found")
            self._record(request, arrival, 404, None, fault)
            return response

        try:
            key = await self._authenticate(request, api)
        except _AuthError as exc:
            if self.latency:
                await asyncio.sleep(self.latency)
            self._record(request, arrival, exc.status, exc.key, fault)
            return self._error("rev23" if api == "rev23" else "revio", exc.status, exc.detail)

        free_at = self._admit(key, arrival)
        if self.latency:
            await asyncio.sleep(self.latency)
        replenish = self._spend_quota(key, arrival) if free_at is None else None
        if replenish is not None:
            self._record(request, arrival, 403, key, fault)
            return self._quota_answer(replenish)
        if free_at is not None:
            self._record(request, arrival, 429, key, fault)
            headers = self._retry_after_header(free_at)
            if api == "rev23":
                return web.Response(
                    status=429,
                    body=_dumps({"message": _RATE_LIMIT_MESSAGE}),
                    content_type="application/json",
                    headers=headers,
                )
            limited = self._error("revio", 429, _RATE_LIMIT_MESSAGE)
            limited.headers.update(headers)
            return limited

        if fault is not None and fault.kind == "timeout":
            try:
                await asyncio.sleep(fault.delay)
            except asyncio.CancelledError:
                # The client gave up and closed the connection: the request still arrived.
                self._record(request, arrival, 0, key, fault)
                raise
        _CURRENT_KEY.set(key)
        answer: web.StreamResponse
        try:
            answer = await handler(request)
        except web.HTTPException as exc:
            answer = self._error(
                "rev23" if api == "rev23" else "revio", exc.status, exc.reason or "Error"
            )
        except (ConnectionResetError, asyncio.CancelledError):
            # The client went away mid-request (e.g. its timeout): it still arrived.
            self._record(request, arrival, 0, key, fault)
            raise
        if fault is not None and fault.kind == "wrong_content_type":
            answer.content_type = "text/plain"
        self._record(request, arrival, answer.status, key, fault)
        return answer

    async def _fire(
        self, fault: Fault, request: web.Request, arrival: float, key: _Key | None
    ) -> web.StreamResponse:
        if self.latency:
            await asyncio.sleep(self.latency)
        kind = fault.kind
        transport = request.transport
        if kind == "drop_before":
            self._record(request, arrival, 0, key, fault)
            if transport is not None:
                transport.close()
            # Writing this to the closed transport fails quietly inside aiohttp.
            return web.Response(status=500)
        if kind == "drop_after":
            self._record(request, arrival, 200, key, fault)
            partial = b'{"data": [{"id": 1, "firstName": "Tru'
            response = web.StreamResponse(status=200)
            response.content_type = "application/json"
            response.content_length = len(partial) + 4096
            await response.prepare(request)
            await response.write(partial)
            if transport is not None:
                transport.close()
            return response
        if kind == "status":
            status = cast(int, fault.status)
            response = self._fault_status(status, fault, _api_of(request.path))
        elif kind == "malformed":
            response = web.Response(status=200, body=b'{"data": [', content_type="application/json")
        elif kind == "html":
            response = web.Response(status=502, body=_HTML_502, content_type="text/html")
        else:  # "empty"
            response = web.Response(status=200, body=b"", content_type="application/json")
        self._record(request, arrival, response.status, key, fault)
        return response

    def _fault_status(self, status: int, fault: Fault, api: str | None) -> web.Response:
        if status < 200 or status in (204, 304):
            response = web.Response(status=status)
        elif isinstance(fault.body, bytes):
            response = web.Response(status=status, body=fault.body)
        elif fault.body is not None:
            response = _json_response(status, fault.body)
        else:
            detail = _RATE_LIMIT_MESSAGE if status == 429 else f"Injected HTTP {status}"
            response = self._error("revio" if api == "exchange" else api, status, detail)
        if fault.headers:
            response.headers.update(fault.headers)
        return response

    # ---------------------------------------------------------------- internals: routes

    def _routes(self, app: web.Application) -> None:
        add = app.router.add_route
        add("GET", "/api/v2/customers", self._rev23_customers_list)
        add("GET", r"/api/v2/customers/{id:\d+}", self._rev23_customers_get)
        add("POST", "/api/v1/auth/api-key/exchange", self._exchange)
        b = "/billing/api/v1"
        add("GET", f"{b}/contacts", self._contacts_list)
        add("GET", rf"{b}/contacts/{{id:\d+}}", self._contacts_get)
        add("GET", f"{b}/customers", self._customers_list)
        add("GET", rf"{b}/customers/{{id:\d+}}", self._customers_get)
        add("GET", rf"{b}/customers/{{id:\d+}}/invoices", self._invoices_list)
        add("GET", f"{b}/opportunities", self._opportunities_list)
        add("POST", f"{b}/opportunities", self._opportunities_create)
        add("GET", rf"{b}/opportunities/{{id:\d+}}", self._opportunities_get)
        add("PUT", rf"{b}/opportunities/{{id:\d+}}", self._opportunities_put)
        add("DELETE", rf"{b}/opportunities/{{id:\d+}}", self._opportunities_delete)
        add("POST", "/psac/api/v1/ticket", self._ticket_create)
        add("GET", r"/psac/api/v1/ticket/{id:\d+}", self._ticket_get)
        add("GET", "/psac/api/v1/ticket-list", self._ticket_list)
        p = "/project-management/api/v1/projects"
        add("GET", p, self._projects_list)
        add("POST", p, self._projects_create)
        add("GET", f"{p}/options", self._projects_options)
        add("GET", rf"{p}/{{id:\d+}}", self._projects_get)
        add("PUT", rf"{p}/{{id:\d+}}", self._projects_put)
        add("GET", rf"{p}/{{id:\d+}}/activity", self._projects_activity)
        add("POST", rf"{p}/{{id:\d+}}/phases", self._phase_create)
        add("POST", rf"{p}/{{id:\d+}}/milestones", self._milestone_create)
        add("PUT", r"/project-management/api/v1/phases/{id:\d+}", self._phase_put)
        add("PUT", r"/project-management/api/v1/milestones/{id:\d+}", self._milestone_put)

    # ------------------------------------------------ helpers

    def _int_param(self, api: Api, request: web.Request, name: str, default: int) -> int:
        raw = request.query.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise web.HTTPBadRequest(reason=f"Invalid {name}: must be a positive integer")
        return value

    def _size(self, api: Api, request: web.Request, cap: int | None = None) -> int:
        size = self._int_param(
            api, request, "pageSize" if api == "rev23" else "perPage", self.page_size
        )
        size = min(size, self.max_page_size) if self.max_page_size else size
        return min(size, cap) if cap else size

    def _page(
        self,
        api: Api,
        request: web.Request,
        items: list[dict[str, Any]],
        cap: int | None = None,
    ) -> web.Response:
        size = self._size(api, request, cap)
        cursor = request.query.get("nextCursor")
        if cursor:
            try:
                start, cursor_size = _decode_cursor(cursor)
            except (ValueError, UnicodeDecodeError):
                return self._error(api, 400, "Invalid nextCursor")
            if not request.query.get("pageSize" if api == "rev23" else "perPage"):
                size = min(cursor_size, self.max_page_size) if self.max_page_size else cursor_size
                size = min(size, cap) if cap else size
            page = start // size + 1
        else:
            page = self._int_param(api, request, "page", 1)
            start = (page - 1) * size
        chunk = items[start : start + size]
        total = len(items)
        more = start + size < total
        shape = self._shapes[api]
        if shape is None:
            if api == "revio":
                return _json_response(200, {"data": chunk})
            return _json_response(
                200,
                {
                    "data": chunk,
                    "page": page,
                    "pageSize": size,
                    "totalCount": total,
                    "hasMore": more,
                },
            )
        envelope, meta = shape
        if envelope == "bare":
            return _json_response(200, chunk)
        body: dict[str, Any] = {"items" if envelope == "data.items" else envelope: chunk}
        if meta == "flag":
            body["hasMore"] = more
        elif meta == "total":
            body["totalCount"] = total
        elif meta == "cursor":
            body["nextCursor"] = _encode_cursor(start + size, size) if more else None
        return _json_response(200, {"data": body} if envelope == "data.items" else body)

    @staticmethod
    def _id(request: web.Request) -> int:
        return int(request.match_info["id"])

    @staticmethod
    def _data(payload: Any, status: int = 200) -> web.Response:
        return _json_response(status, {"data": payload})

    def _not_found(self, api: Api, what: str) -> web.Response:
        return self._error(api, 404, f"{what} not found")

    async def _body(self, request: web.Request) -> dict[str, Any] | None:
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    def _invalid(self, errors: dict[str, list[str]]) -> web.Response:
        return self._error("revio", 400, "One or more validation errors occurred.", errors=errors)

    # ------------------------------------------------ REV23

    async def _rev23_customers_list(self, request: web.Request) -> web.Response:
        return self._page("rev23", request, self._rev23_customers.items)

    async def _rev23_customers_get(self, request: web.Request) -> web.Response:
        record = self._rev23_customers.by_id.get(self._id(request))
        if record is None:
            return self._error("rev23", 404, "Customer not found")
        return _json_response(200, record)

    # ------------------------------------------------ Rev.io PSA: auth

    async def _exchange(self, request: web.Request) -> web.Response:
        key = _CURRENT_KEY.get()
        now = time.time()
        jti = secrets.token_hex(12)
        with self._lock:
            self._jti_serial[jti] = next(self._serials)
            key.stats.exchanges += 1
        claims = {"sub": key.sub, "iat": now, "exp": now + self.token_ttl, "jti": jti}
        return self._data({"token": encode_hs256(claims, self._jwt_secret)})

    # ------------------------------------------------ Rev.io PSA: billing

    def _of_customer(
        self, request: web.Request, rows: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """``rows`` of the ``customerId`` the query names (all of them without one)."""
        if "customerId" not in request.query:
            return rows
        customer_id = self._int_param("revio", request, "customerId", 0)
        return [r for r in rows if r.get("customerId") == customer_id]

    async def _contacts_list(self, request: web.Request) -> web.Response:
        return self._page("revio", request, self._of_customer(request, self._contacts.items))

    async def _contacts_get(self, request: web.Request) -> web.Response:
        record = self._contacts.by_id.get(self._id(request))
        return self._data(record) if record else self._not_found("revio", "Contact")

    async def _customers_list(self, request: web.Request) -> web.Response:
        return self._page("revio", request, self._revio_customers.items)

    async def _customers_get(self, request: web.Request) -> web.Response:
        record = self._revio_customers.by_id.get(self._id(request))
        return self._data(record) if record else self._not_found("revio", "Customer")

    async def _invoices_list(self, request: web.Request) -> web.Response:
        customer_id = self._id(request)
        if customer_id not in self._revio_customers.by_id:
            return self._not_found("revio", "Customer")
        rows = self._invoices.get(customer_id)
        if rows is None:
            rows = self._invoices[customer_id] = _data.invoices(customer_id)
        return self._page("revio", request, rows)

    async def _opportunities_list(self, request: web.Request) -> web.Response:
        rows = self._of_customer(request, self._opportunities.items)
        return self._page("revio", request, rows)

    async def _opportunity_body(
        self, request: web.Request
    ) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
        """The body in ``opportunity_casing``, stored camelCase; or the validation errors
        (named as the casing names the fields)."""
        body = await self._body(request)
        if body is None:
            return None, {"body": ["A JSON object is required."]}
        to_wire, from_wire = _CASINGS[self.opportunity_casing]
        errors: dict[str, list[str]] = {}
        customer_id, name = to_wire("customerId"), to_wire("name")
        if not _is_int(body.get(customer_id)):
            errors[customer_id] = [f"The {customer_id} field is required and must be an integer."]
        if not isinstance(body.get(name), str) or not body[name]:
            errors[name] = [f"The {name} field is required."]
        return {from_wire(k): v for k, v in body.items()}, errors

    async def _opportunities_create(self, request: web.Request) -> web.Response:
        record, errors = await self._opportunity_body(request)
        if errors or record is None:
            return self._invalid(errors)
        new_id = self._opportunities.add(record)
        return self._data({"opportunityId": new_id}, 201)

    async def _opportunities_get(self, request: web.Request) -> web.Response:
        record = self._opportunities.by_id.get(self._id(request))
        return self._data(record) if record else self._not_found("revio", "Opportunity")

    async def _opportunities_put(self, request: web.Request) -> web.Response:
        item_id = self._id(request)
        if item_id not in self._opportunities.by_id:
            return self._not_found("revio", "Opportunity")
        record, errors = await self._opportunity_body(request)
        if errors or record is None:
            return self._invalid(errors)
        self._opportunities.replace(item_id, record)
        return self._data(record)

    async def _opportunities_delete(self, request: web.Request) -> web.Response:
        if not self._opportunities.delete(self._id(request)):
            return self._not_found("revio", "Opportunity")
        return web.Response(status=204)

    # ------------------------------------------------ Rev.io PSA: tickets

    async def _ticket_create(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        if body is None:
            return self._invalid({"body": ["A JSON object is required."]})
        errors: dict[str, list[str]] = {}
        # customerId is optional: two of three public callers send none.
        if body.get("customerId") is not None and not _is_int(body["customerId"]):
            errors["customerId"] = ["The customerId field must be an integer."]
        description = body.get("ticketDescription")
        if not isinstance(description, str) or not description.strip():
            errors["ticketDescription"] = ["The ticketDescription field is required."]
        elif len(description) > TICKET_DESCRIPTION_MAX:
            errors["ticketDescription"] = [
                f"The ticketDescription field must be {TICKET_DESCRIPTION_MAX} characters or less."
            ]
        for name in ("ticketTypeId", "ticketStatusId", "ticketPriorityId"):
            if body.get(name) is not None and not _is_int(body[name]):
                errors[name] = [f"The {name} field must be an integer."]
        for name in ("techsAssociated", "contactsAssociated", "customFields"):
            if body.get(name) is not None and not isinstance(body[name], list):
                errors[name] = [f"The {name} field must be an array."]
        if body.get("techAssigned") is not None and not isinstance(body["techAssigned"], str):
            errors["techAssigned"] = ["The techAssigned field must be a string."]
        if errors:
            return self._invalid(errors)
        customer = self._revio_customers.by_id.get(body.get("customerId"))
        now = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
        row = _data.ticket_row(
            0,
            customer_id=body.get("customerId"),
            customer_name=customer["name"] if customer else "",
            description=description,  # type: ignore[arg-type]  # validated above
            status_id=body.get("ticketStatusId") or 1,
            priority_id=body.get("ticketPriorityId") or 2,
            type_id=body.get("ticketTypeId") or 1,
            created=now,
            modified=now,
            tech_assigned=body.get("techAssigned") or "",
        )
        for name in ("workRequested", "techsAssociated", "contactsAssociated", "customFields"):
            if body.get(name) is not None:
                row[name] = body[name]
        return self._data({"ticketId": self._tickets.add(row)}, 201)

    async def _ticket_list(self, request: web.Request) -> web.Response:
        rows = self._tickets.items
        status = request.query.get("status", "").strip().casefold()
        if status:  # the README's --param status=open: by status name or open/closed state
            rows = [
                r
                for r in rows
                if status in (str(r["ticketStatus"]).casefold(), str(r["ticketState"]).casefold())
            ]
        return self._page("revio", request, rows, cap=LIST_PAGE_MAX)

    async def _ticket_get(self, request: web.Request) -> web.Response:
        record = self._tickets.by_id.get(self._id(request))
        return self._data(record) if record else self._not_found("revio", "Ticket")

    # ------------------------------------------------ Rev.io PSA: projects

    async def _projects_list(self, request: web.Request) -> web.Response:
        rows = self._of_customer(request, self._projects.items)
        return self._page("revio", request, rows, cap=LIST_PAGE_MAX)

    def _named_record(
        self, body: dict[str, Any] | None, name: str, ints: tuple[str, ...] = ()
    ) -> dict[str, Any] | web.Response:
        """``body`` as a record if its ``name`` field is a non-empty string and ``ints`` are
        integers when present; else the 400 answer."""
        if body is None:
            return self._invalid({"body": ["A JSON object is required."]})
        if not isinstance(body.get(name), str) or not body[name].strip():
            return self._invalid({name: [f"The {name} field is required."]})
        for field_name in ints:
            if body.get(field_name) is not None and not _is_int(body[field_name]):
                return self._invalid({field_name: [f"The {field_name} field must be an integer."]})
        return dict(body)

    def _project_record(self, body: dict[str, Any] | None) -> dict[str, Any] | web.Response:
        ints = ("projectStatusId", "projectPriorityId", "customerId")
        record = self._named_record(body, "projectName", ints)
        if isinstance(record, dict) and not isinstance(record.get("teamMembers", []), list):
            return self._invalid({"teamMembers": ["The teamMembers field must be an array."]})
        return record

    async def _projects_create(self, request: web.Request) -> web.Response:
        record = self._project_record(await self._body(request))
        if isinstance(record, web.Response):
            return record
        record.setdefault("createdDate", time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()))
        new_id = self._projects.add(record)
        self._activity[new_id] = []
        self._log_activity(new_id, "created", "Project created")
        return self._data({"projectId": new_id}, 201)

    async def _projects_options(self, request: web.Request) -> web.Response:
        return self._data(
            {
                "projectStatuses": _data.PROJECT_STATUSES,
                "projectPriorities": _data.PROJECT_PRIORITIES,
                "memberRoles": _data.MEMBER_ROLES,
            }
        )

    async def _projects_get(self, request: web.Request) -> web.Response:
        record = self._projects.by_id.get(self._id(request))
        return self._data(record) if record else self._not_found("revio", "Project")

    async def _projects_put(self, request: web.Request) -> web.Response:
        item_id = self._id(request)
        if item_id not in self._projects.by_id:
            return self._not_found("revio", "Project")
        record = self._project_record(await self._body(request))
        if isinstance(record, web.Response):
            return record
        self._projects.replace(item_id, record)
        self._log_activity(item_id, "updated", "Project updated")
        return self._data(record)

    def _activity_of(self, project_id: int) -> list[dict[str, Any]]:
        rows = self._activity.get(project_id)
        if rows is None:
            rows = _data.activity(project_id) if project_id <= self._seeded_projects else []
            self._activity[project_id] = rows
        return rows

    def _log_activity(self, project_id: int, kind: str, message: str) -> None:
        rows = self._activity_of(project_id)
        rows.append(
            {
                "activityId": project_id * 1000 + len(rows) + 1,
                "projectId": project_id,
                "eventType": kind,
                "message": message,
                "performedBy": _data.ulid_like(0),
                "createdDate": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()),
            }
        )

    async def _projects_activity(self, request: web.Request) -> web.Response:
        project_id = self._id(request)
        if project_id not in self._projects.by_id:
            return self._not_found("revio", "Project")
        rows = self._activity_of(project_id)
        query = request.query
        bounds = {}
        for name in ("from", "to"):
            if query.get(name):
                bounds[name] = _when(query[name])
                if bounds[name] is None:
                    return self._error("revio", 400, f"Invalid {name}: an ISO 8601 date-time")
        low, high, kinds, people = (
            bounds.get("from"),
            bounds.get("to"),
            set(query.getall("eventType", [])),
            set(query.getall("performedBy", [])),
        )
        rows = [
            r
            for r in rows
            if (not kinds or r["eventType"] in kinds)
            and (not people or r["performedBy"] in people)
            and (low is None or cast(datetime, _when(r["createdDate"])) >= low)
            and (high is None or cast(datetime, _when(r["createdDate"])) <= high)
        ]
        size = self._size("revio", request)
        cursor = request.query.get("nextCursor")
        start = 0
        if cursor:
            try:
                start, _ = _decode_cursor(cursor)
            except (ValueError, UnicodeDecodeError):
                return self._error("revio", 400, "Invalid nextCursor")
        end = start + size
        next_cursor = _encode_cursor(end, size) if end < len(rows) else None
        return _json_response(200, {"data": rows[start:end], "nextCursor": next_cursor})

    # ------------------------------------------------ Rev.io PSA: phases and milestones

    async def _phase_create(self, request: web.Request) -> web.Response:
        project_id = self._id(request)
        if project_id not in self._projects.by_id:
            return self._not_found("revio", "Project")
        record = self._named_record(
            await self._body(request), "phaseName", ("phaseSequence", "phaseStatusId")
        )
        if isinstance(record, web.Response):
            return record
        record["projectId"] = project_id
        new_id = self._phases.add(record)
        self._log_activity(project_id, "phase_created", f"Phase {record['phaseName']} added")
        return self._data({"phaseId": new_id}, 201)

    async def _phase_put(self, request: web.Request) -> web.Response:
        phase_id = self._id(request)
        old = self._phases.by_id.get(phase_id)
        if old is None:
            return self._not_found("revio", "Phase")
        record = self._named_record(
            await self._body(request), "phaseName", ("phaseSequence", "phaseStatusId")
        )
        if isinstance(record, web.Response):
            return record
        record["projectId"] = old["projectId"]
        self._phases.replace(phase_id, record)
        return self._data(record)

    def _milestone_record(
        self, body: dict[str, Any] | None, project_id: int
    ) -> dict[str, Any] | web.Response:
        record = self._named_record(body, "milestoneName", ("phaseId",))
        if isinstance(record, web.Response):
            return record
        phase = self._phases.by_id.get(record.get("phaseId"))
        if record.get("phaseId") is not None and (
            phase is None or phase["projectId"] != project_id
        ):
            return self._invalid({"phaseId": ["The phaseId is not a phase of this project."]})
        record["projectId"] = project_id
        return record

    async def _milestone_create(self, request: web.Request) -> web.Response:
        project_id = self._id(request)
        if project_id not in self._projects.by_id:
            return self._not_found("revio", "Project")
        record = self._milestone_record(await self._body(request), project_id)
        if isinstance(record, web.Response):
            return record
        return self._data({"milestoneId": self._milestones.add(record)}, 201)

    async def _milestone_put(self, request: web.Request) -> web.Response:
        milestone_id = self._id(request)
        old = self._milestones.by_id.get(milestone_id)
        if old is None:
            return self._not_found("revio", "Milestone")
        record = self._milestone_record(await self._body(request), old["projectId"])
        if isinstance(record, web.Response):
            return record
        self._milestones.replace(milestone_id, record)
        return self._data(record)


class _ThreadedSandbox:
    """Context manager running a :class:`Sandbox` on its own loop in a daemon thread."""

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            try:
                loop.run_until_complete(self._sandbox.start())
            except BaseException as exc:
                self._error = exc
                return
            finally:
                ready.set()
            loop.run_forever()
            loop.run_until_complete(self._sandbox.stop())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()

    def __enter__(self) -> Sandbox:
        if self._thread is not None:
            raise RuntimeError("already running")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="revclient-sandbox", daemon=True
        )
        self._thread.start()
        ready.wait()
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error
        return self._sandbox

    def __exit__(self, *exc_info: object) -> None:
        thread, loop = self._thread, self._loop
        self._thread = None
        if thread is None or loop is None:
            return
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
