"""``AsyncRevio``: the Rev.io PSA API's client (an API key exchanged for a JWT).

Imported on first use (``revclient.AsyncRevio``, ``SessionManager.revio()``): a program
that talks to REV23 only never loads the Rev.io PSA models.
"""

from __future__ import annotations

from typing import Any, Unpack

import aiohttp

from .. import _json, _telemetry
from .._auth import JWTAuth, Token, make_token
from .._client import RawTransport, _ClientBase, _hidden_key
from .._config import check_base_url, check_host, env_or, key_label
from .._options import ClientKwargs
from .._pipeline import Call, Context, exchange_failed, send
from .._response import APIResponse
from .._secret import Redacted
from ..backends import TokenStore
from ..errors import APIError, RateLimitError, ResponseDecodeError
from ._resources import BODY_CASINGS, RevioResources, RevioResourcesWithRawResponse

__all__ = ["EXCHANGE_PATH", "REVIO_BASE_URL", "AsyncRevio", "RevioWithRawResponse"]

REVIO_BASE_URL = "https://api.psarev.io"
EXCHANGE_PATH = "/api/v1/auth/api-key/exchange"


class RevioWithRawResponse(RevioResourcesWithRawResponse):
    """``AsyncRevio.with_raw_response``: the same resources, answers as ``APIResponse``."""

    def __init__(self, client: AsyncRevio) -> None:
        transport = RawTransport(client)
        super().__init__(transport)
        self.request = transport.request


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
    _casings = BODY_CASINGS
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
            body = await send(self._ctx, call, APIResponse.json)
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
