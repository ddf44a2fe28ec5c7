"""What both clients share: configuration, the pipeline context, ``request()``, the lifecycle."""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import hashlib
import re
import threading
import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping
from datetime import date
from types import TracebackType
from typing import Any, Final, Self, TypedDict, TypeVar, Unpack
from urllib.parse import unquote

import aiohttp
from multidict import MultiDict

from . import _fork, _json, _telemetry
from ._advertised import Budget
from ._auth import JWTAuth
from ._config import (
    Priority,
    Rates,
    RetryPolicy,
    check_base_url,
    check_priority,
    check_secret,
    check_timeout,
    env_or,
)
from ._options import NOT_GIVEN, ClientKwargs, ClientOptions, NotGiven, check_headers
from ._pipeline import Call, Context, itself, send
from ._pool import Pool
from ._response import APIResponse
from ._retry import IDEMPOTENT
from ._secret import Redacted
from ._version import __version__
from .backends import default_backend
from .errors import ConfigurationError

__all__ = ["DerivedKwargs", "RawTransport"]

T = TypeVar("T")

_USER_AGENT = f"revclient/{__version__} aiohttp/{aiohttp.__version__}"
_METHOD = re.compile(r"[A-Z]{3,7}")
# An absolute path: visible ASCII, no "//" prefix (another host), no query or fragment.
_PATH = re.compile(r"/(?!/)[\x21-\x22\x24-\x3e\x40-\x7e]*")


class DerivedKwargs(TypedDict, total=False):
    """What :meth:`with_options` may change; the budget and the key stay the parent's."""

    timeout: float | None
    retry: RetryPolicy | None
    headers: Mapping[str, str] | None
    max_response_bytes: int
    priority: Priority


_DERIVED: Final = frozenset(DerivedKwargs.__annotations__)


class _ClientBase:
    """Shared by both clients: settings, the pipeline context and the lifecycle."""

    _api = ""
    #: The resources whose body casing is configurable, with their defaults (generated).
    _casings: Mapping[str, str] = {}
    # Class-level defaults: the repr of a client whose constructor raised still works
    # (error reporters and capture_locals call it on the half-built ``self``).
    _label = ""
    _base_url = ""
    _auth: JWTAuth | None = None

    def _setup(
        self,
        *,
        key: Redacted[str],
        base_url: str,
        auth_headers: Redacted[dict[str, str]],
        options: ClientKwargs,
        session: aiohttp.ClientSession | None,
        manager: Any,
    ) -> None:
        if manager is None:
            self._options = ClientOptions().merge(options)
            self._pool = Pool(session=session)
            self._owns_pool = True
        else:
            if session is not None:
                raise ConfigurationError("pass session= to the SessionManager, not its clients")
            self._options = manager._defaults.merge(options)
            self._pool = manager._pool
            self._owns_pool = False
        # An error body that echoes the key shows its label instead (revclient._secret).
        self._secrets: Redacted[tuple[tuple[bytes, bytes], ...]] = Redacted(
            ((key.value.encode(), self._label.encode()),)
        )
        opts = self._options
        _check_casings(opts.body_casing)
        allow = opts.allow_insecure
        self._base_url = check_base_url(base_url, "base_url", allow_insecure=allow)
        self._bases: dict[str | None, str] = {None: self._base_url}
        for service, url in opts.base_urls.items():
            self._bases[service] = check_base_url(
                url, f"base_urls[{service!r}]", allow_insecure=allow
            )
        # The state backend sees a hash of the key, never the key itself.
        self._key_id = hashlib.sha256(f"{self._api}:{key.value}".encode()).hexdigest()[:32]
        self._backend = opts.backend if opts.backend is not None else default_backend()
        rate = opts.rate_limit
        self._limiter = None
        if rate is not None:
            with _BUDGET_USERS.of(self._backend, self._key_id) as users:
                _check_budget(users, rate)
                self._limiter = self._backend.limiter(self._key_id, rate)
                users.add(self)
        self._auth_headers = auth_headers
        self._ctx = self._context(opts)

    def _context(self, opts: ClientOptions) -> Context:
        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        if self._api == "revio":
            headers["Content-Type"] = "application/json"
        return Context(
            session=self._pool,
            headers=Redacted({**headers, **opts.headers, **self._auth_headers.value}),
            retry=opts.retry,
            timeout=aiohttp.ClientTimeout(total=opts.timeout),
            max_response_bytes=opts.max_response_bytes,
            secrets=self._secrets,
            limiter=self._limiter,
            auth=self._auth,
            advertise=getattr(self._limiter, "advertise", None),
            priority=opts.priority,
        )

    def _bind_resources(self) -> None:
        raise NotImplementedError  # each client binds its generated resources

    def with_options(self, **options: Unpack[DerivedKwargs]) -> Self:
        """A client that differs only in ``timeout``, ``retry``, ``headers`` (added to this
        client's), ``max_response_bytes`` or ``priority`` (its calls' lane in the key's queue:
        ``with_options(priority="bulk")`` for a pull beside interactive calls).

        It shares this client's connection pool, rate budget and token cache; closing it
        never closes this client's pool. Any other option is a ``ConfigurationError``.
        """
        derived = copy.copy(self)
        derived._options = self._options.merge(options, allowed=_DERIVED)
        derived._owns_pool = False
        derived._ctx = derived._context(derived._options)
        derived.__dict__.pop("_raw", None)
        derived._bind_resources()
        return derived

    def _casing(self, resource: str) -> str:
        """The wire casing of ``resource``'s request bodies (see :class:`ClientOptions`)."""
        return self._options.body_casing.get(resource) or self._casings.get(resource, "camel")

    def _call(
        self,
        method: str,
        path: str,
        cast: Callable[[APIResponse[Any]], T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
        op: str | None = None,
        template: str | None = None,
    ) -> Awaitable[T]:
        """The call through the pipeline: awaiting it gives ``cast`` of the answer (used by
        the generated resources). A bad option raises here, before anything is awaited; the
        caller's own coroutine is the only frame that waits.

        ``extra_headers``, ``extra_query``, ``timeout`` and ``priority`` are the per-call
        options; ``op`` (``customers.get``) and ``template`` (the spec's path) name the call
        in telemetry (``request()`` passes neither).
        """
        ctx = self._ctx
        headers = ctx.headers  # Redacted: no frame shows the key (revclient._secret)
        if extra_headers:
            headers = Redacted({**headers.value, **check_headers(extra_headers, "extra_headers")})
        if extra_query:
            if not isinstance(extra_query, Mapping):
                raise ConfigurationError("extra_query must be a mapping of names to values")
            params = {**params, **extra_query} if params else extra_query
        body = None
        if json is not None:
            body = _json.dumps(json)  # a ConfigurationError before any budget is spent
            if "Content-Type" not in headers.value:
                headers = Redacted({**headers.value, "Content-Type": "application/json"})
        base = self._bases.get(service)
        call = Call(
            method,
            (self._base_url if base is None else base) + path,
            _query(params) if params else None,
            body,
            headers,
            ctx.timeout
            if timeout is NOT_GIVEN
            else aiohttp.ClientTimeout(total=check_timeout(timeout)),
            method in IDEMPOTENT,
        )
        call.priority = ctx.priority if priority is NOT_GIVEN else check_priority(priority)
        obs = _telemetry.current()
        if obs is None:
            return send(ctx, call, cast)
        call.obs = obs
        call.template = template or path
        name = f"{self._api} {op or f'{method} {path}'}"
        return obs.traced_call(name, self._api, send(ctx, call, itself), cast)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> Any:
        """Call any endpoint through the same pipeline (limiter, auth, retries).

        ``path`` is relative to the API's base URL and must start with ``/``; it is sent
        as given (percent-encode ids yourself). Returns the decoded JSON body as the server
        sent it (a ``data`` envelope is not unwrapped), or ``None`` for an empty body.
        ``extra_headers`` and ``extra_query`` add to this call only; ``timeout`` and
        ``priority`` replace the client's for this call.
        """
        return await self._call(
            _check_request(method, path),
            path,
            APIResponse.json,
            params=params,
            json=json,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )

    @property
    def key_label(self) -> str:
        """How this client's key may be shown (REV23: its 12-character prefix)."""
        return self._label

    @property
    def rate_limit(self) -> Rates | None:
        """The key's budget (one window or a tuple of them), or ``None`` when rate limiting
        is off."""
        return self._options.rate_limit

    @property
    def options(self) -> ClientOptions:
        """The options this client was configured with."""
        return self._options

    async def budget(self) -> Budget:
        """A snapshot of this key's budget (:class:`revclient.Budget`): the limits in force,
        tokens free, requests in flight and queued, a pause, and what the server advertised.

        ``ConfigurationError`` with ``rate_limit=None`` (no budget is kept) or with a
        backend whose limiter cannot show one.
        """
        snapshot = getattr(self._limiter, "snapshot", None)
        if snapshot is None:
            raise ConfigurationError(
                "this client keeps no budget to show (rate_limit=None, or a backend whose "
                "limiter has no snapshot())"
            )
        budget: Budget = await snapshot()
        return budget

    async def aclose(self) -> None:
        """Close the client's connection pool if it owns one (not a manager's or a parent's)."""
        if self._owns_pool:
            await self._pool.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _check_request(method: object, path: object) -> str:
    """The method of ``request()`` upper-cased, once method and path are known to be sane."""
    if not isinstance(method, str) or not _METHOD.fullmatch(method.upper()):
        raise ConfigurationError(f"method must be an HTTP method such as 'GET', got {method!r}")
    if (
        not isinstance(path, str)
        or not _PATH.fullmatch(path)
        or (
            ("/." in path or "%" in path)
            and any(unquote(seg) in (".", "..") for seg in path.split("/"))
        )
    ):
        raise ConfigurationError(
            f"path must be an absolute path such as '/api/v2/customers' without query, "
            f"fragment, whitespace or dot segments (pass params= for the query), got {path!r}"
        )
    return method.upper()


def _check_casings(given: Mapping[str, str]) -> None:
    if not given:
        return
    # Both APIs' tables: a SessionManager's options apply to its REV23 and Rev.io clients
    # alike. Imported here, where they are needed (rarely), not with revclient.
    from .rev23._resources import BODY_CASINGS as REV23_CASINGS
    from .revio._resources import BODY_CASINGS as REVIO_CASINGS

    known = {**REV23_CASINGS, **REVIO_CASINGS}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ConfigurationError(
            f"body_casing: {', '.join(unknown)} has no configurable casing (only "
            f"{', '.join(sorted(known)) or 'none'}: the resources whose public evidence "
            "disagrees)"
        )


def _query(params: Mapping[str, Any]) -> MultiDict[str | int | float]:
    """Query parameters aiohttp accepts: ``None`` dropped, booleans as ``true``/``false``,
    dates in ISO 8601, and a list or tuple as the parameter repeated
    (``eventType=a&eventType=b``)."""
    if not isinstance(params, Mapping):
        raise ConfigurationError(
            f"params must be a mapping of names to values, got {type(params).__name__}"
        )
    out: MultiDict[str | int | float] = MultiDict()
    for name, value in params.items():
        if value is None:
            continue
        if not isinstance(name, str) or not _valid_text(name):
            raise ConfigurationError(f"query parameter names must be strings, got {name!r}")
        for item in value if isinstance(value, list | tuple) else (value,):
            out.add(name, _query_value(name, item))
    return out


def _query_value(name: str, value: Any) -> str | int | float:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if not _valid_text(value):
            raise ConfigurationError(
                f"query parameter {name!r} is not valid Unicode (a lone surrogate)"
            )
        return value
    if isinstance(value, int | float):
        return value
    if isinstance(value, date):  # datetime is a date subclass
        return value.isoformat()
    raise ConfigurationError(
        f"query parameter {name!r} must be a string, number, boolean, date or a list of them, "
        f"got {type(value).__name__}"
    )


def _valid_text(text: str) -> bool:
    """Whether ``text`` can be put in a URL (UTF-8 encodable: no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RawTransport:
    """The transport of ``with_raw_response``: every call returns its :class:`APIResponse`,
    which ``parse()``\\ s into what the plain call returns."""

    def __init__(self, client: _ClientBase) -> None:
        self._client = client

    def _casing(self, resource: str) -> str:
        return self._client._casing(resource)

    def _call(
        self, method: str, path: str, cast: Callable[[APIResponse[Any]], T], **options: Any
    ) -> Awaitable[Any]:
        return self._client._call(method, path, functools.partial(_raw, cast), **options)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
    ) -> APIResponse[Any]:
        """Like the client's ``request()``; ``.parse()`` gives the decoded JSON body."""
        response: APIResponse[Any] = await self._call(
            _check_request(method, path),
            path,
            APIResponse.json,
            params=params,
            json=json,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )
        return response


def _raw(cast: Callable[[APIResponse[Any]], T], response: APIResponse[Any]) -> APIResponse[T]:
    """The answer itself, whose ``parse()`` applies the method's own ``cast``."""
    response._cast = cast
    return response


def _hidden_key(given: str | None, hidden: Redacted[str | None] | None, env: str) -> Redacted[str]:
    """The API key (the argument, the one a wrapper hid already, or ``env``), checked and
    wrapped at once (revclient._secret)."""
    return Redacted(
        check_secret(env_or(given if hidden is None else hidden.value, env), "api_key", env)
    )


class _BudgetUsers:
    """The clients that use each key's budget, per backend: a client with another
    rate_limit is refused while one of them is open, and adopts it (keeping what was sent)
    once none is."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users: weakref.WeakKeyDictionary[Any, dict[str, weakref.WeakSet[_ClientBase]]] = (
            weakref.WeakKeyDictionary()
        )
        _fork.track(self)

    def _after_fork(self) -> None:
        # Another thread (the sync facade's loop) may have held the lock at the fork.
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def of(self, backend: Any, key_id: str) -> Iterator[weakref.WeakSet[_ClientBase]]:
        """The users of ``key_id`` on ``backend``, under the lock."""
        with self._lock:
            yield self._users.setdefault(backend, {}).setdefault(key_id, weakref.WeakSet())


_BUDGET_USERS = _BudgetUsers()


def _check_budget(users: weakref.WeakSet[_ClientBase], rate: Rates) -> None:
    def other() -> _ClientBase | None:
        return next(
            (c for c in users if c._options.rate_limit != rate and not c._pool.closed), None
        )

    if other() is not None:
        gc.collect()  # an unclosed client that is garbage in a reference cycle does not count
    found = other()
    if found is not None:
        raise ConfigurationError(
            f"this API key is used in this process by an open client with "
            f"{found._options.rate_limit!r}; close it first, or give every open client on "
            f"one key the same rate_limit (got {rate!r})"
        )
