"""``AsyncRev23`` and ``AsyncRevio``: configuration plus the pipeline, resources on top."""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import hashlib
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from types import TracebackType
from typing import Any, Final, Self, TypedDict, TypeVar, Unpack
from urllib.parse import unquote

import aiohttp
from multidict import MultiDict

from . import _fork, _json, _telemetry
from ._advertised import Budget
from ._auth import JWTAuth, Token, make_token
from ._config import (
    Priority,
    Rates,
    RetryPolicy,
    check_base_url,
    check_host,
    check_priority,
    check_secret,
    check_tenant,
    check_timeout,
    env_or,
    key_label,
)
from ._options import NOT_GIVEN, ClientKwargs, ClientOptions, NotGiven, check_headers
from ._pipeline import Call, Context, exchange_failed, send
from ._pool import Pool
from ._response import APIResponse
from ._retry import IDEMPOTENT
from ._secret import Redacted
from ._version import __version__
from .backends import TokenStore, default_backend
from .errors import APIError, ConfigurationError, RateLimitError, ResponseDecodeError
from .rev23._resources import BODY_CASINGS as REV23_CASINGS
from .rev23._resources import Rev23Resources, Rev23ResourcesWithRawResponse
from .revio._resources import BODY_CASINGS as REVIO_CASINGS
from .revio._resources import RevioResources, RevioResourcesWithRawResponse

__all__ = ["AsyncRev23", "AsyncRevio", "DerivedKwargs"]

T = TypeVar("T")

REV23_BASE_URL = "https://cloudappapi.rev23.com"
REVIO_BASE_URL = "https://api.psarev.io"
EXCHANGE_PATH = "/api/v1/auth/api-key/exchange"
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
        return self._options.body_casing.get(resource) or _CASINGS.get(resource, "camel")

    async def _call(
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
    ) -> T:
        """Send through the pipeline and ``cast`` the answer (used by the generated resources).

        ``extra_headers``, ``extra_query``, ``timeout`` and ``priority`` are the per-call
        options; ``op``
        (``customers.get``) and ``template`` (the spec's path) name the call in telemetry
        (``request()`` passes neither).
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
            return cast(await send(ctx, call))
        call.obs = obs
        call.template = template or path
        name = f"{self._api} {op or f'{method} {path}'}"
        return cast(await obs.traced_call(name, self._api, send(ctx, call)))

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


# Resources whose body casing is configurable, with their defaults. One table for both
# APIs: a SessionManager's options apply to its REV23 and Rev.io clients alike.
_CASINGS: Final[Mapping[str, str]] = {**REV23_CASINGS, **REVIO_CASINGS}


def _check_casings(given: Mapping[str, str]) -> None:
    unknown = sorted(set(given) - set(_CASINGS))
    if unknown:
        known = ", ".join(sorted(_CASINGS)) or "none"
        raise ConfigurationError(
            f"body_casing: {', '.join(unknown)} has no configurable casing (only {known}: "
            "the resources whose public evidence disagrees)"
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

    async def _call(
        self, method: str, path: str, cast: Callable[[APIResponse[Any]], T], **options: Any
    ) -> Any:
        return await self._client._call(method, path, functools.partial(_raw, cast), **options)

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


class Rev23WithRawResponse(Rev23ResourcesWithRawResponse):
    """``AsyncRev23.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: AsyncRev23) -> None:
        transport = RawTransport(client)
        super().__init__(transport)
        self.request = transport.request


class RevioWithRawResponse(RevioResourcesWithRawResponse):
    """``AsyncRevio.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: AsyncRevio) -> None:
        transport = RawTransport(client)
        super().__init__(transport)
        self.request = transport.request


class AsyncRev23(Rev23Resources, _ClientBase):
    """Async client for the REV23 Cloud API (static key headers, 200 requests/min/key).

    ``api_key`` and ``tenant`` (the studio subdomain) fall back to ``REV23_API_KEY`` and
    ``REV23_TENANT``; ``base_url`` to ``REV23_BASE_URL``, then
    ``https://cloudappapi.rev23.com``. ``session`` is your own ``aiohttp.ClientSession``
    (never closed by revclient); the other options are those of
    :class:`~revclient.ClientOptions`. Use as ``async with`` or call :meth:`aclose`.
    """

    _api = "rev23"
    _tenant = ""

    def __init__(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        session: aiohttp.ClientSession | None = None,
        _manager: Any = None,
        _key: Redacted[str | None] | None = None,  # the key, from a wrapper that hid it
        **options: Unpack[ClientKwargs],
    ) -> None:
        key = _hidden_key(api_key, _key, "REV23_API_KEY")
        del api_key  # from here on the key lives only inside Redacted (revclient._secret)
        self._tenant = check_tenant(env_or(tenant, "REV23_TENANT"), "REV23_TENANT")
        self._label = key_label("rev23", key.value)
        self._setup(
            key=key,
            base_url=env_or(base_url, "REV23_BASE_URL") or REV23_BASE_URL,
            auth_headers=Redacted({"X-Api-Key": key.value, "X-Tenant-Name": self._tenant}),
            options=options,
            session=session,
            manager=_manager,
        )
        self._bind_resources()

    def _bind_resources(self) -> None:
        Rev23Resources.__init__(self, self)

    @property
    def with_raw_response(self) -> Rev23WithRawResponse:
        """The same resources and ``request()``, returning :class:`~revclient.APIResponse`."""
        return Rev23WithRawResponse(self)

    @property
    def tenant(self) -> str:
        """The studio subdomain sent as ``X-Tenant-Name``."""
        return self._tenant

    def __repr__(self) -> str:
        return (
            f"AsyncRev23(tenant={self._tenant!r}, key={self._label!r}, base_url={self._base_url!r})"
        )


class AsyncRevio(RevioResources, _ClientBase):
    """Async client for the Rev.io PSA API (API key exchanged for a JWT).

    ``api_key`` and ``host`` (the PSA site's domain, sent as ``X-Revio-Host``) fall back
    to ``REVIO_API_KEY`` and ``REVIO_HOST``; ``base_url`` to ``REVIO_BASE_URL``, then
    ``https://api.psarev.io``; ``auth_url`` (where ``/api/v1/auth/api-key/exchange`` is
    posted) to ``REVIO_AUTH_URL``, then ``base_url``. ``base_urls`` maps a service name
    (``"projects"``) to another base URL, since the docs name ``apim.psarev.io`` while
    public code calls projects there. ``session`` and the other options as for
    :class:`AsyncRev23`.
    """

    _api = "revio"
    _host = ""

    def __init__(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        session: aiohttp.ClientSession | None = None,
        _manager: Any = None,
        _key: Redacted[str | None] | None = None,  # the key, from a wrapper that hid it
        **options: Unpack[ClientKwargs],
    ) -> None:
        key = _hidden_key(api_key, _key, "REVIO_API_KEY")
        del api_key  # from here on the key lives only inside Redacted (revclient._secret)
        self._host = check_host(env_or(host, "REVIO_HOST"), "REVIO_HOST")
        self._label = key_label("revio", key.value)
        self._setup(
            key=key,
            base_url=env_or(base_url, "REVIO_BASE_URL") or REVIO_BASE_URL,
            auth_headers=Redacted({"X-Revio-Host": self._host}),
            options=options,
            session=session,
            manager=_manager,
        )
        self._auth_url = check_base_url(
            env_or(auth_url, "REVIO_AUTH_URL") or self._base_url,
            "auth_url",
            allow_insecure=self._options.allow_insecure,
        )
        self._tokens: TokenStore = self._backend.token_store(self._key_id)
        # The exchange's context is made while self._auth is still None: it needs no token.
        exchange = _Exchange(self._context(self._options), self._auth_url, key)
        self._auth = JWTAuth(self._tokens, exchange)
        self._ctx = self._context(self._options)
        self._bind_resources()

    def _bind_resources(self) -> None:
        RevioResources.__init__(self, self)

    @property
    def with_raw_response(self) -> RevioWithRawResponse:
        """The same resources and ``request()``, returning :class:`~revclient.APIResponse`."""
        return RevioWithRawResponse(self)

    @property
    def host(self) -> str:
        """The PSA site's domain sent as ``X-Revio-Host``."""
        return self._host

    @property
    def auth_url(self) -> str:
        """The base URL ``/api/v1/auth/api-key/exchange`` is posted to."""
        return self._auth_url

    @property
    def exchanges(self) -> int:
        """Key exchanges started for this key in this process (shared by its clients)."""
        return int(getattr(self._tokens, "exchanges", 0))

    def __repr__(self) -> str:
        return f"AsyncRevio(host={self._host!r}, key={self._label!r}, base_url={self._base_url!r})"


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


class _Exchange:
    """The key exchange: ``POST {auth_url}/api/v1/auth/api-key/exchange`` for a JWT.

    It goes through the same pipeline and the key's limiter, without a token (it is how one
    is obtained) and without ``X-Revio-Host`` (the docs send none).
    """

    def __init__(self, ctx: Context, auth_url: str, key: Redacted[str]) -> None:
        ctx.headers = Redacted({k: v for k, v in ctx.headers.value.items() if k != "X-Revio-Host"})
        self._ctx = ctx
        self._url = auth_url + EXCHANGE_PATH
        self._body = _json.dumps({"apiKey": key.value})

    def __repr__(self) -> str:
        return f"_Exchange({self._url!r})"

    async def __call__(self) -> Token:
        call = Call(
            "POST",
            self._url,
            None,
            self._body,
            self._ctx.headers,
            self._ctx.timeout,
            True,
            secret=True,
            template=EXCHANGE_PATH,
            obs=_telemetry.current(),
        )
        if call.obs is not None:
            call.obs.exchanged()
        try:
            body = (await send(self._ctx, call)).json()
        except APIError as exc:
            if 400 <= exc.status < 500 and not isinstance(exc, RateLimitError):  # nor a quota
                raise exchange_failed(exc) from None
            raise
        data = body.get("data") if isinstance(body, dict) else None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ResponseDecodeError(
                "the key exchange answer has no data.token string; the auth_url may be wrong"
            )
        return make_token(token)
