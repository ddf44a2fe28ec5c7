"""``AsyncRev23``: the REV23 Cloud API's client (static key headers)."""

from __future__ import annotations

from typing import Any, Unpack

import aiohttp

from .._client import RawTransport, _ClientBase, _hidden_key
from .._config import check_tenant, env_or, key_label
from .._options import ClientKwargs
from .._secret import Redacted
from ._resources import BODY_CASINGS, Rev23Resources, Rev23ResourcesWithRawResponse

__all__ = ["REV23_BASE_URL", "AsyncRev23", "Rev23WithRawResponse"]

REV23_BASE_URL = "https://cloudappapi.rev23.com"


class Rev23WithRawResponse(Rev23ResourcesWithRawResponse):
    """``AsyncRev23.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: AsyncRev23) -> None:
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
    _casings = BODY_CASINGS
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
