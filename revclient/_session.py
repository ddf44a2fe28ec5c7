"""``SessionManager``: one aiohttp connection pool shared by many clients and keys."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Any

import aiohttp

from ._config import RateLimit, RetryPolicy, check_rate_limit, check_retry, check_timeout
from .errors import ConfigurationError, TransportError

if TYPE_CHECKING:
    from ._client import AsyncRev23, AsyncRevio
    from .backends import StateBackend

__all__ = ["DEFAULT", "SessionManager"]


class _Default:
    """Marks an argument left out (``None`` has a meaning for ``rate_limit``)."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


class SessionManager:
    """Owns one ``aiohttp.ClientSession`` for any number of clients and API keys.

    The session is created lazily on the running event loop and closed by
    :meth:`aclose` (or ``async with``). Rate limiters and token caches are per key and
    shared process-wide (or across processes with a Redis backend), so two keys never
    wait on each other and two clients on one key share one budget.

    Keyword arguments given here are the defaults for every client the manager creates.
    """

    def __init__(
        self,
        *,
        rate_limit: RateLimit | None = DEFAULT,
        retry: RetryPolicy | None = DEFAULT,
        timeout: float | None = DEFAULT,
        backend: StateBackend | None = DEFAULT,
        max_connections: int = 256,
        allow_insecure: bool = DEFAULT,
    ) -> None:
        # Checked here so a bad default fails now, not at the first client.
        if rate_limit is not DEFAULT:
            check_rate_limit(rate_limit)
        if retry is not DEFAULT:
            check_retry(retry)
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ConfigurationError("max_connections must be an integer (0 for no limit)")
        self._defaults: dict[str, Any] = {
            "rate_limit": rate_limit,
            "retry": retry,
            "timeout": timeout if timeout is DEFAULT else check_timeout(timeout),
            "backend": backend,
            "allow_insecure": allow_insecure,
        }
        self._max_connections = max_connections
        self._http: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    def rev23(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        **options: Any,
    ) -> AsyncRev23:
        """A REV23 client on this manager's connection pool (see ``AsyncRev23``)."""
        from ._client import AsyncRev23

        return AsyncRev23(
            api_key, tenant, base_url=base_url, _manager=self, **{**self._options(), **options}
        )

    def revio(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        **options: Any,
    ) -> AsyncRevio:
        """A Rev.io PSA client on this manager's connection pool (see ``AsyncRevio``)."""
        from ._client import AsyncRevio

        return AsyncRevio(
            api_key,
            host,
            base_url=base_url,
            auth_url=auth_url,
            _manager=self,
            **{**self._options(), **options},
        )

    def _options(self) -> dict[str, Any]:
        # Only what was given: None is a real value (no rate limit, no timeout).
        return {k: v for k, v in self._defaults.items() if v is not DEFAULT}

    def _session(self) -> aiohttp.ClientSession:
        """The shared session, created on first use inside the running loop."""
        http = self._http
        if http is not None:
            if self._loop is not asyncio.get_running_loop():
                raise ConfigurationError(
                    "this client was first used on another event loop; create one client "
                    "per event loop, or use revclient.sync from threads"
                )
            return http
        if self._closed:
            raise TransportError("the client is closed; create a new one")
        self._loop = asyncio.get_running_loop()
        connector = aiohttp.TCPConnector(limit=self._max_connections, ttl_dns_cache=300)
        self._http = aiohttp.ClientSession(connector=connector, raise_for_status=False)
        return self._http

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` has run."""
        return self._closed

    async def aclose(self) -> None:
        """Close the connection pool. Requests still in flight fail with ``TransportError``."""
        self._closed = True
        http, self._http = self._http, None
        if http is not None:
            await http.close()

    async def __aenter__(self) -> SessionManager:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._http else "idle"
        return f"SessionManager({state})"
