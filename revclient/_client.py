"""``AsyncRev23`` and ``AsyncRevio``: configuration plus the pipeline, resources on top."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import unquote

import aiohttp
import attrs

from . import __version__
from ._auth import Token, make_token
from ._config import (
    RateLimit,
    RetryPolicy,
    check_base_url,
    check_host,
    check_rate_limit,
    check_retry,
    check_secret,
    check_tenant,
    check_timeout,
    env_or,
    key_label,
)
from ._pipeline import Context, exchange_failed, send
from ._session import DEFAULT, SessionManager
from .backends import StateBackend, default_backend
from .errors import APIError, ConfigurationError, ResponseDecodeError
from .rev23._resources import Rev23Resources
from .revio._resources import RevioResources

__all__ = ["AsyncRev23", "AsyncRevio"]

REV23_BASE_URL = "https://cloudappapi.rev23.com"
REVIO_BASE_URL = "https://api.psarev.io"
EXCHANGE_PATH = "/api/v1/auth/api-key/exchange"
_USER_AGENT = f"revclient/{__version__} aiohttp/{aiohttp.__version__}"
_METHOD = re.compile(r"[A-Z]{3,7}")
# An absolute path: visible ASCII, no "//" prefix (another host), no query or fragment.
_PATH = re.compile(r"/(?!/)[\x21-\x22\x24-\x3e\x40-\x7e]*")


class _ClientBase:
    """Shared by both clients: owns settings, the pipeline context and the lifecycle."""

    _api = ""
    _label = ""

    def _setup(
        self,
        *,
        key: str,
        base_url: str,
        base_urls: Mapping[str, str] | None,
        headers: dict[str, str],
        rate_limit: RateLimit | None,
        retry: RetryPolicy | None,
        timeout: float | None,
        backend: StateBackend | None,
        allow_insecure: bool,
        manager: SessionManager | None,
    ) -> None:
        rate_limit = RateLimit() if rate_limit is DEFAULT else check_rate_limit(rate_limit)
        retry = check_retry(retry)
        timeout = check_timeout(timeout)
        if backend is None:
            backend = default_backend()
        self._owns_manager = manager is None
        self._manager = manager if manager is not None else SessionManager()
        self._base_url = check_base_url(base_url, "base_url", allow_insecure=allow_insecure)
        self._bases: dict[str | None, str] = {None: self._base_url}
        for service, url in (base_urls or {}).items():
            self._bases[service] = check_base_url(
                url, f"base_urls[{service!r}]", allow_insecure=allow_insecure
            )
        # The state backend sees a hash of the key, never the key itself.
        self._key_id = hashlib.sha256(f"{self._api}:{key}".encode()).hexdigest()[:32]
        self._backend = backend
        self._rate_limit = rate_limit
        limiter = backend.limiter(self._key_id, rate_limit) if rate_limit is not None else None
        self._ctx = Context(
            api=self._api,
            session=self._manager._session,
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT, **headers},
            retry=retry,
            timeout=aiohttp.ClientTimeout(total=timeout),
            limiter=limiter,
        )

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
    ) -> Any:
        """Send through the pipeline; used by the generated resources."""
        base = self._bases.get(service)
        if base is None:
            base = self._base_url
        return await send(
            self._ctx,
            method,
            base + path,
            params=_query(params) if params else None,
            json=json,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Call any endpoint through the same pipeline (limiter, auth, retries).

        ``path`` is relative to the API's base URL and must start with ``/``; it is sent
        as given (percent-encode ids yourself). Returns the decoded JSON body as the server
        sent it (a ``data`` envelope is not unwrapped), or ``None`` for an empty body.
        """
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
        return await self._call(method.upper(), path, params=params, json=json)

    @property
    def key_label(self) -> str:
        """How this client's key may be shown (REV23: its 12-character prefix)."""
        return self._label

    @property
    def rate_limit(self) -> RateLimit | None:
        """The key's budget, or ``None`` when rate limiting is off."""
        return self._rate_limit

    async def aclose(self) -> None:
        """Close the client's connection pool if it owns one (not a shared manager's)."""
        if self._owns_manager:
            await self._manager.aclose()

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _query(params: Mapping[str, Any]) -> dict[str, str | int | float]:
    """Query parameters aiohttp accepts: ``None`` dropped, booleans as ``true``/``false``."""
    out: dict[str, str | int | float] = {}
    for name, value in params.items():
        if value is None:
            continue
        if not isinstance(name, str):
            raise ConfigurationError(f"query parameter names must be strings, got {name!r}")
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            out[name] = value
        else:
            raise ConfigurationError(
                f"query parameter {name!r} must be a string, number or boolean, "
                f"got {type(value).__name__}"
            )
    return out


class AsyncRev23(Rev23Resources, _ClientBase):
    """Async client for the REV23 Cloud API (static key headers, 200 requests/min/key).

    ``api_key`` and ``tenant`` (the studio subdomain) fall back to ``REV23_API_KEY`` and
    ``REV23_TENANT``; ``base_url`` to ``REV23_BASE_URL``, then
    ``https://cloudappapi.rev23.com``. Use as ``async with`` or call :meth:`aclose`.
    """

    _api = "rev23"

    def __init__(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        rate_limit: RateLimit | None = DEFAULT,
        retry: RetryPolicy | None = None,
        timeout: float | None = 30.0,
        backend: StateBackend | None = None,
        allow_insecure: bool = False,
        base_urls: Mapping[str, str] | None = None,
        _manager: SessionManager | None = None,
    ) -> None:
        key = check_secret(env_or(api_key, "REV23_API_KEY"), "api_key", "REV23_API_KEY")
        self._tenant = check_tenant(env_or(tenant, "REV23_TENANT"), "REV23_TENANT")
        self._label = key_label("rev23", key)
        self._setup(
            key=key,
            base_url=env_or(base_url, "REV23_BASE_URL") or REV23_BASE_URL,
            base_urls=base_urls,
            headers={"X-Api-Key": key, "X-Tenant-Name": self._tenant},
            rate_limit=rate_limit,
            retry=retry,
            timeout=timeout,
            backend=backend,
            allow_insecure=allow_insecure,
            manager=_manager,
        )
        Rev23Resources.__init__(self, self)

    @property
    def tenant(self) -> str:
        """The studio subdomain sent as ``X-Tenant-Name``."""
        return self._tenant

    def __repr__(self) -> str:
        return (
            f"AsyncRev23(tenant={self._tenant!r}, key={self._label!r}, base_url={self._base_url!r})"
        )

    async def __aenter__(self) -> AsyncRev23:
        return self


class AsyncRevio(RevioResources, _ClientBase):
    """Async client for the Rev.io PSA API (API key exchanged for a JWT).

    ``api_key`` and ``host`` (the PSA site's domain, sent as ``X-Revio-Host``) fall back
    to ``REVIO_API_KEY`` and ``REVIO_HOST``; ``base_url`` to ``REVIO_BASE_URL``, then
    ``https://api.psarev.io``; ``auth_url`` (where ``/api/v1/auth/api-key/exchange`` is
    posted) to ``REVIO_AUTH_URL``, then ``base_url``. ``base_urls`` maps a service name
    (``"projects"``) to another base URL, since the docs name ``apim.psarev.io`` while
    public code calls projects there.
    """

    _api = "revio"

    def __init__(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        rate_limit: RateLimit | None = DEFAULT,
        retry: RetryPolicy | None = None,
        timeout: float | None = 30.0,
        backend: StateBackend | None = None,
        allow_insecure: bool = False,
        base_urls: Mapping[str, str] | None = None,
        _manager: SessionManager | None = None,
    ) -> None:
        key = check_secret(env_or(api_key, "REVIO_API_KEY"), "api_key", "REVIO_API_KEY")
        self._host = check_host(env_or(host, "REVIO_HOST"), "REVIO_HOST")
        self._label = key_label("revio", key)
        base = env_or(base_url, "REVIO_BASE_URL") or REVIO_BASE_URL
        self._setup(
            key=key,
            base_url=base,
            base_urls=base_urls,
            headers={"X-Revio-Host": self._host, "Content-Type": "application/json"},
            rate_limit=rate_limit,
            retry=retry,
            timeout=timeout,
            backend=backend,
            allow_insecure=allow_insecure,
            manager=_manager,
        )
        auth = check_base_url(
            env_or(auth_url, "REVIO_AUTH_URL") or self._base_url,
            "auth_url",
            allow_insecure=allow_insecure,
        )
        self._exchange_url = auth + EXCHANGE_PATH
        self._exchange_body = {"apiKey": key}
        self._tokens = self._backend.token_store(self._key_id)
        # The exchange goes through the same pipeline and the same key's limiter, without a
        # token (it is how one is obtained) and without X-Revio-Host (the docs send none).
        self._exchange_ctx = attrs.evolve(
            self._ctx,
            headers={k: v for k, v in self._ctx.headers.items() if k != "X-Revio-Host"},
        )
        self._ctx.tokens = self._tokens
        self._ctx.exchange = self._exchange
        RevioResources.__init__(self, self)

    async def _exchange(self) -> Token:
        try:
            body = await send(
                self._exchange_ctx,
                "POST",
                self._exchange_url,
                json=self._exchange_body,
                secret_body=True,
                replayable=True,
            )
        except APIError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                raise exchange_failed(exc) from None
            raise
        data = body.get("data") if isinstance(body, dict) else None
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise ResponseDecodeError(
                "the key exchange answer has no data.token string; the auth_url may be wrong"
            )
        return make_token(token)

    @property
    def host(self) -> str:
        """The PSA site's domain sent as ``X-Revio-Host``."""
        return self._host

    @property
    def exchanges(self) -> int:
        """Key exchanges started for this key in this process (shared by its clients)."""
        return int(getattr(self._tokens, "exchanges", 0))

    def __repr__(self) -> str:
        return f"AsyncRevio(host={self._host!r}, key={self._label!r}, base_url={self._base_url!r})"

    async def __aenter__(self) -> AsyncRevio:
        return self
