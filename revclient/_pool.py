"""The connection pool behind clients: one ``aiohttp.ClientSession``, ours or the user's."""

from __future__ import annotations

import asyncio

import aiohttp

from . import _fork
from .errors import ConfigurationError, TransportError

__all__ = ["Pool"]


class Pool:
    """One ``aiohttp.ClientSession`` shared by the clients of a ``SessionManager``.

    Without ``session`` the pool creates its own lazily on the running loop, and closes it
    in :meth:`aclose`. With ``session`` (the user's own: their proxy, TLS context, trace
    configs, connector) it uses that one and never closes it. Either way aiohttp's own
    resend of idempotent requests on a dropped keep-alive connection is turned off: it
    would put a request on the wire that took no token from the key's budget.
    """

    def __init__(self, *, max_connections: int = 256, session: aiohttp.ClientSession | None = None):
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ConfigurationError("max_connections must be an integer (0 for no limit)")
        if session is not None:
            if not isinstance(session, aiohttp.ClientSession):
                raise ConfigurationError(
                    f"session must be an aiohttp.ClientSession, got {type(session).__name__}"
                )
            if getattr(session, "_base_url", None) is not None:
                raise ConfigurationError(
                    "session has a base_url; revclient sends absolute URLs, so pass a session "
                    "made without base_url"
                )
            _no_resend(session)
        self._max_connections = max_connections
        self._http = session
        self.owned = session is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        _fork.track(self)

    def _after_fork(self) -> None:
        # In a forked child (see revclient._fork) the session's connections are the
        # parent's too. Ours is dropped unused and a new one made on first use here; the
        # user's cannot be replaced, so using it fails at once (``__call__``).
        http, self._http, self._loop = self._http, None, None
        if http is not None:
            _fork.keep(http)

    def __call__(self) -> aiohttp.ClientSession:
        """The session, created on first use inside the running loop."""
        http = self._http
        if http is not None and (not self.owned or self._loop is asyncio.get_running_loop()):
            return http
        if http is not None:
            raise ConfigurationError(
                "this client was first used on another event loop; create one client "
                "per event loop, or use revclient.sync from threads"
            )
        if self.closed:
            raise TransportError("the client is closed; create a new one")
        if not self.owned:
            raise ConfigurationError(
                "this client's aiohttp session (session=) was made before os.fork() and its "
                "connections belong to the parent process; in the child, make a new session "
                "and a new client (or let revclient manage the session: it renews its own)"
            )
        self._loop = asyncio.get_running_loop()
        connector = aiohttp.TCPConnector(limit=self._max_connections, ttl_dns_cache=300)
        self._http = aiohttp.ClientSession(connector=connector, raise_for_status=False)
        _no_resend(self._http)
        return self._http

    async def aclose(self) -> None:
        """Close the session if the pool made it (never the user's own)."""
        self.closed = True
        http, self._http = self._http, None
        if http is not None and self.owned:
            await http.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open" if self._http else "idle"
        return f"{state}{'' if self.owned else ', user session'}"


def _no_resend(session: aiohttp.ClientSession) -> None:
    # aiohttp >= 3.10 resends an idempotent request once when a reused connection drops;
    # below our limiter and retry policy that would be a request without a token.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
