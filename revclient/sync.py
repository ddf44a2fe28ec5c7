"""Blocking clients for legacy code: the async implementation driven through one portal.

``Rev23``, ``Revio`` and ``SessionManager`` take the same arguments and offer the same
resources and methods as ``AsyncRev23``, ``AsyncRevio`` and ``revclient.SessionManager``,
as plain blocking calls::

    from revclient.sync import Rev23

    with Rev23(api_key="ca_...", tenant="mystudio") as rev:
        customer = rev.customers.get(42)
        for customer in rev.customers.list():  # one portal hop per page, not per item
            ...

Every call runs the async code on one event-loop thread per process (see
:mod:`revclient._portal`), so sync and async clients on one API key share one rate
budget and one token cache, and errors are the very classes (and objects) the async
clients raise. Sync clients may be used from any number of threads at once, and from a
thread that runs its own event loop (a notebook cell); inside async code that runs on
revclient's own loop they raise ``ConfigurationError`` instead of deadlocking.

A client left unclosed is closed when it is garbage collected, and at interpreter exit.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self, Unpack

from . import _portal
from ._advertised import Budget
from ._client import DerivedKwargs, RawTransport
from ._config import Priority, Rates
from ._options import NOT_GIVEN, ClientKwargs, ClientOptions, NotGiven
from ._portal import Portal
from ._response import APIResponse
from ._secret import Redacted
from ._session import SessionManager as AsyncSessionManager
from .rev23._client import AsyncRev23
from .rev23._resources import Rev23Resources
from .rev23._sync_resources import SyncRev23Resources, SyncRev23ResourcesWithRawResponse
from .revio._client import AsyncRevio
from .revio._resources import RevioResources
from .revio._sync_resources import SyncRevioResources, SyncRevioResourcesWithRawResponse

__all__ = ["Rev23", "Revio", "SessionManager"]


class _SyncClient:
    """What both sync clients share: the portal, the async twin and the lifecycle."""

    _portal: Portal
    _async: AsyncRev23 | AsyncRevio
    _finalizer: weakref.finalize[Any, Any] | None
    # A manager-made or derived client keeps its owner alive (the owner's finalizer would
    # otherwise close the connection pool under it).
    _owner: object

    @classmethod
    def _wrap(cls, portal: Portal, client: Any, owner: object) -> Self:
        """A sync client around an async client a manager (or ``with_options``) made."""
        self = cls.__new__(cls)
        self._setup(portal, client, owner)
        return self

    def _setup(self, portal: Portal, client: Any, owner: object) -> None:
        raise NotImplementedError  # each client binds its own generated resources

    def _bind(self, portal: Portal, client: AsyncRev23 | AsyncRevio, owner: object) -> None:
        self._portal = portal
        self._async = client
        self._owner = owner
        if owner is None:
            # Close the private connection pool once the async client is unreachable: it
            # outlives this wrapper while resources taken from it (``rev.customers``) live.
            self._finalizer = _portal.weak_closer(client, client._pool)
        else:
            self._finalizer = None

    def with_options(self, **options: Unpack[DerivedKwargs]) -> Self:
        """A client that differs only in ``timeout``, ``retry``, ``headers``,
        ``max_response_bytes`` or ``priority``, sharing this one's pool, budget and token cache (see
        ``AsyncRev23.with_options``). Closing it never closes this client's pool."""
        return self._wrap(self._portal, self._async.with_options(**options), self)

    def request(
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

        ``path`` is relative to the API's base URL and must start with ``/``. Returns
        the decoded JSON body (a ``data`` envelope is not unwrapped), or ``None`` for an
        empty body. ``extra_headers``/``extra_query`` add to this call; ``timeout`` and
        ``priority`` replace the client's for it.
        """
        return self._portal.call(
            self._async.request,
            method,
            path,
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
        return self._async.key_label

    def budget(self) -> Budget:
        """A snapshot of this key's budget (see ``AsyncRev23.budget``)."""
        return self._portal.call(self._async.budget)

    @property
    def rate_limit(self) -> Rates | None:
        """The key's budget, or ``None`` when rate limiting is off."""
        return self._async.rate_limit

    @property
    def options(self) -> ClientOptions:
        """The options this client was configured with."""
        return self._async.options

    def close(self) -> None:
        """Close the client's connection pool if it owns one (not a manager's or a parent's)."""
        finalizer = self._finalizer
        if finalizer is None:
            return  # a manager's or a derived client: the owner closes the pool
        self._portal.check_thread()
        finalizer.detach()
        pool = self._async._pool
        if _portal.unregister(pool):
            self._portal.call(pool.aclose)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        # "AsyncRev23(tenant=..., key=<prefix>, ...)" -> "Rev23(...)": never a secret.
        client = self.__dict__.get("_async")  # absent if the constructor raised
        if client is None:
            return f"{type(self).__name__}(not constructed)"
        return repr(client).removeprefix("Async")


class _RawRequest:
    """``request()`` of the sync ``with_raw_response``."""

    def __init__(self, portal: Portal, transport: RawTransport) -> None:
        self._portal = portal
        self._transport = transport

    def request(
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
        return self._portal.call(
            self._transport.request,
            method,
            path,
            params=params,
            json=json,
            extra_headers=extra_headers,
            extra_query=extra_query,
            timeout=timeout,
            priority=priority,
        )


class Rev23WithRawResponse(SyncRev23ResourcesWithRawResponse, _RawRequest):
    """``Rev23.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: Rev23) -> None:
        transport = RawTransport(client._async)
        SyncRev23ResourcesWithRawResponse.__init__(self, client._portal, Rev23Resources(transport))
        _RawRequest.__init__(self, client._portal, transport)


class RevioWithRawResponse(SyncRevioResourcesWithRawResponse, _RawRequest):
    """``Revio.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: Revio) -> None:
        transport = RawTransport(client._async)
        SyncRevioResourcesWithRawResponse.__init__(self, client._portal, RevioResources(transport))
        _RawRequest.__init__(self, client._portal, transport)


class Rev23(SyncRev23Resources, _SyncClient):
    """Blocking client for the REV23 Cloud API; the arguments of ``revclient.AsyncRev23``.

    ``api_key`` and ``tenant`` fall back to ``REV23_API_KEY`` and ``REV23_TENANT``;
    ``base_url`` to ``REV23_BASE_URL``. Use as ``with Rev23(...) as rev:`` or call
    :meth:`close`.
    """

    _async: AsyncRev23

    def __init__(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> None:
        key = Redacted(api_key)
        del api_key  # no frame shows the key: revclient._secret
        # Built here, no hop: a client binds to a loop only on its first request, which
        # the portal's loop makes.
        client = AsyncRev23(None, tenant, base_url=base_url, _key=key, **options)
        self._setup(_portal.get_portal(), client, None)

    def _setup(self, portal: Portal, client: AsyncRev23, owner: object) -> None:
        self._bind(portal, client, owner)
        SyncRev23Resources.__init__(self, portal, client)

    @property
    def with_raw_response(self) -> Rev23WithRawResponse:
        """The same resources and ``request()``, returning :class:`~revclient.APIResponse`."""
        return Rev23WithRawResponse(self)

    @property
    def tenant(self) -> str:
        """The studio subdomain sent as ``X-Tenant-Name``."""
        return self._async.tenant

    def __enter__(self) -> Rev23:
        return self


class Revio(SyncRevioResources, _SyncClient):
    """Blocking client for the Rev.io PSA API; the arguments of ``revclient.AsyncRevio``.

    ``api_key`` and ``host`` fall back to ``REVIO_API_KEY`` and ``REVIO_HOST``;
    ``base_url`` to ``REVIO_BASE_URL``; ``auth_url`` to ``REVIO_AUTH_URL``, then
    ``base_url``. Use as ``with Revio(...) as psa:`` or call :meth:`close`.
    """

    _async: AsyncRevio

    def __init__(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> None:
        key = Redacted(api_key)
        del api_key  # no frame shows the key: revclient._secret
        client = AsyncRevio(None, host, base_url=base_url, auth_url=auth_url, _key=key, **options)
        self._setup(_portal.get_portal(), client, None)

    def _setup(self, portal: Portal, client: AsyncRevio, owner: object) -> None:
        self._bind(portal, client, owner)
        SyncRevioResources.__init__(self, portal, client)

    @property
    def with_raw_response(self) -> RevioWithRawResponse:
        """The same resources and ``request()``, returning :class:`~revclient.APIResponse`."""
        return RevioWithRawResponse(self)

    @property
    def host(self) -> str:
        """The PSA site's domain sent as ``X-Revio-Host``."""
        return self._async.host

    @property
    def exchanges(self) -> int:
        """Key exchanges started for this key in this process (shared by its clients)."""
        return self._async.exchanges

    def __enter__(self) -> Revio:
        return self


class SessionManager:
    """Blocking twin of ``revclient.SessionManager``: one connection pool, many keys.

    Keyword arguments are the defaults of every client it creates. Keep it open while its
    clients are in use (``with SessionManager() as manager:``); :meth:`close` closes the
    pool of every client it made.
    """

    def __init__(self, *, max_connections: int = 256, **options: Unpack[ClientKwargs]) -> None:
        self._portal = _portal.get_portal()
        self._async = AsyncSessionManager(max_connections=max_connections, **options)
        self._finalizer = _portal.weak_closer(self, self._async)

    def rev23(
        self,
        api_key: str | None = None,
        tenant: str | None = None,
        *,
        base_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> Rev23:
        """A REV23 client on this manager's connection pool (see :class:`Rev23`)."""
        key = Redacted(api_key)
        del api_key  # no frame shows the key: revclient._secret
        client = AsyncRev23(
            None, tenant, base_url=base_url, _manager=self._async, _key=key, **options
        )
        return Rev23._wrap(self._portal, client, self)

    def revio(
        self,
        api_key: str | None = None,
        host: str | None = None,
        *,
        base_url: str | None = None,
        auth_url: str | None = None,
        **options: Unpack[ClientKwargs],
    ) -> Revio:
        """A Rev.io PSA client on this manager's connection pool (see :class:`Revio`)."""
        key = Redacted(api_key)
        del api_key  # no frame shows the key: revclient._secret
        client = AsyncRevio(
            None,
            host,
            base_url=base_url,
            auth_url=auth_url,
            _manager=self._async,
            _key=key,
            **options,
        )
        return Revio._wrap(self._portal, client, self)

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._async.closed

    def close(self) -> None:
        """Close the connection pool. Requests still in flight fail with ``TransportError``."""
        self._portal.check_thread()
        self._finalizer.detach()
        if _portal.unregister(self._async):
            self._portal.call(self._async.aclose)

    def __enter__(self) -> SessionManager:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        manager = self.__dict__.get("_async")  # absent if the constructor raised
        return f"revclient.sync.{manager!r}" if manager else "SessionManager(not constructed)"
