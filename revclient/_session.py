"""``SessionManager``: one connection pool shared by many clients and keys."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Unpack

import aiohttp

from ._options import ClientKwargs, ClientOptions
from ._pool import Pool
from ._secret import Redacted

if TYPE_CHECKING:
    from .rev23._client import AsyncRev23
    from .revio._client import AsyncRevio

__all__ = ["SessionManager"]


class SessionManager:
    """Owns one ``aiohttp.ClientSession`` for any number of clients and API keys.

    The session is created lazily on the running event loop and closed by
    :meth:`aclose` (or ``async with``); pass ``session=`` to use your own instead (your
    proxy, TLS context, trace configs or connector), which revclient never closes. Rate
    limiters and token caches are per key and shared process-wide (or across processes
    with a Redis backend), so two keys never wait on each other and two clients on one key
    share one budget.

    The options (those of :class:`~revclient.ClientOptions`) are the defaults for every
    client the manager creates; they are checked here, so a bad one fails now.
    """

    def __init__(
        self,
        *,
        max_connections: int = 256,
        session: aiohttp.ClientSession | None = None,
        **options: Unpack[ClientKwargs],
    ) -> None:
        self._defaults = ClientOptions().merge(options)
        self._pool = Pool(max_connections=max_connections, session=session)

    def rev23(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> AsyncRev23:
        """A REV23 client on this manager's connection pool (see ``AsyncRev23``)."""
        key = Redacted(api_key)
        del api_key  # no frame shows the key (revclient._secret)
        from .rev23._client import AsyncRev23  # on first use (revclient.rev23._client)

        return AsyncRev23(None, tenant, base_url=base_url, _manager=self, _key=key, **options)

    def revio(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> AsyncRevio:
        """A Rev.io PSA client on this manager's connection pool (see ``AsyncRevio``)."""
        key = Redacted(api_key)
        del api_key  # no frame shows the key (revclient._secret)
        from .revio._client import AsyncRevio  # on first use (revclient.revio._client)

        return AsyncRevio(
            None, host, base_url=base_url, auth_url=auth_url, _manager=self, _key=key, **options
        )

    @property
    def closed(self) -> bool:
        """True once :meth:`aclose` has run."""
        return self._pool.closed

    async def aclose(self) -> None:
        """Close the connection pool (unless it is the caller's own session). Requests still
        in flight fail with ``TransportError``."""
        await self._pool.aclose()

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
        pool = self.__dict__.get("_pool")  # absent if the constructor raised
        return f"SessionManager({pool!r})" if pool else "SessionManager(not constructed)"
