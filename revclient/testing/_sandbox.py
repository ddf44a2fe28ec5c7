"""The sandbox: a local, strict fake of the REV23 Cloud API and the Rev.io PSA API (aiohttp.web).

Standalone on purpose: it imports nothing from the rest of ``revclient`` so that it keeps
working (and keeps judging the client) whatever state the client is in. Its parts: the knobs
and stats in :mod:`._knobs`, the request pipeline in :mod:`._middleware` (with :mod:`._auth`
and :mod:`._faults`), the routes in :mod:`._routes` over the records of :mod:`._store`, and
the thread runner in :mod:`._runner`.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from ._knobs import Api, Fault, SandboxStats, State, demo_keys, new_fault
from ._limits import check_limiter
from ._middleware import make_middleware
from ._pages import ENVELOPES, METAS, ListShape
from ._routes import CASINGS, Routes
from ._runner import ThreadedSandbox
from ._store import Store

__all__ = ["Sandbox"]


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
        if opportunity_casing not in CASINGS:
            raise ValueError(f"opportunity_casing must be one of {tuple(CASINGS)}")
        for shape in (list_shape, rev23_list_shape, revio_list_shape):
            if shape is not None and (shape[0] not in ENVELOPES or shape[1] not in METAS):
                raise ValueError(f"list shape {shape!r}: envelope in {ENVELOPES}, meta in {METAS}")
        self.host = host
        self.port = port
        self.rate_limit = rate_limit
        self.quota = quota
        self.limiter = limiter
        self.burst = burst
        self.token_ttl = token_ttl
        self.latency = latency
        self.page_size = page_size
        self.max_page_size = max_page_size
        self.retry_after = retry_after
        self.seed = seed
        self.opportunity_casing = opportunity_casing
        self.rev23_tenant = rev23_tenant
        self.revio_host = revio_host
        self._state = State(log_limit)
        default23, default_io = demo_keys(seed)
        self._rev23_key = self._state.new_key("rev23", rev23_api_key or default23)
        self._revio_key = self._state.new_key("revio", revio_api_key or default_io)
        # None means the API's native shape (REV23: data + page metadata; Rev.io: data only).
        shapes: dict[Api, ListShape | None] = {
            "rev23": rev23_list_shape or list_shape,
            "revio": revio_list_shape or list_shape,
        }
        self._routes = Routes(self, self._state, Store(records), shapes)
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
        app = web.Application(middlewares=[make_middleware(self, self._state)])
        self._routes.add_to(app)
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

    def run_in_thread(self) -> ThreadedSandbox:
        """Return a context manager serving this sandbox from a daemon thread.

        ``with Sandbox().run_in_thread() as sb:`` returns once the server listens and stops
        it cleanly on exit. Admin methods and stats may be used from any thread.
        """
        return ThreadedSandbox(self)

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
        with self._state.lock:
            if secret in self._state.keys:
                raise ValueError("key already exists")
            self._state.new_key(api, secret)
        return secret

    def key_label(self, key: str) -> str:
        """The stats label of an API key."""
        return self._state.key(key).label

    def revoke(self, api: Api = "revio", key: str | None = None) -> None:
        """Revoke a key (the default key of ``api`` unless ``key`` is given).

        REV23 calls with it answer 401; Rev.io exchanges answer 401 and calls made with its
        JWTs answer 401 ``"Token revoked"``.
        """
        with self._state.lock:
            self._state.key(key or api).revoked = True

    def restore(self, api: Api = "revio", key: str | None = None) -> None:
        """Undo :meth:`revoke`."""
        with self._state.lock:
            self._state.key(key or api).revoked = False

    def expire_tokens(self) -> None:
        """Make every JWT issued so far answer 401 ``"Token expired"`` from now on."""
        self._state.expire_tokens()

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
        item = new_fault(
            fault, path=path, method=method, times=times, headers=headers, body=body, delay=delay
        )
        with self._state.lock:
            self._state.faults.append(item)
        return item

    def clear_faults(self) -> None:
        """Remove every pending fault."""
        with self._state.lock:
            self._state.faults.clear()

    # ---------------------------------------------------------------- stats

    @property
    def stats(self) -> SandboxStats:
        """A consistent snapshot of the counters (safe to read from any thread)."""
        return self._state.snapshot()

    def reset_stats(self) -> None:
        """Clear counters and the log (rate-limit windows are kept: they are server state)."""
        self._state.reset_stats()

    def max_in_window(self, key: str = "rev23", period: float | None = None) -> int:
        """Most accepted arrivals of ``key`` (label or secret) in any half-open window.

        ``period`` defaults to the rate limit's period.
        """
        if period is None:
            if self.rate_limit is None:
                raise ValueError("period is required when rate limiting is disabled")
            period = self.rate_limit[1]
        times = self._state.arrivals(key)
        best = start = 0
        for end, t in enumerate(times):
            while t - times[start] >= period:
                start += 1
            best = max(best, end - start + 1)
        return best
