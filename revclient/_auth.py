"""Rev.io PSA tokens: the JWT cache with single-flight exchange and compare-and-invalidate.

One :class:`TokenCache` per API key per process (shared by every client on the key and by
the sync facade's thread). Exactly one exchange runs at a time; everyone else waits for
its result. A token is refreshed ahead of its ``exp`` claim when it has one, otherwise it
is kept until the server answers 401. On a 401 the pipeline calls
:meth:`TokenCache.invalidate` with the token that failed, which drops it only if it is
still the cached one, so 300 requests failing with the same expired token cause one
exchange, not 300.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs

from . import _fork, _json
from ._secret import Redacted

if TYPE_CHECKING:
    from .backends import TokenStore

__all__ = ["JWTAuth", "Token", "TokenCache", "jwt_expiry"]


@attrs.frozen
class Token:
    """A bearer token and when it stops being usable (epoch seconds, if known)."""

    value: str = attrs.field(repr=False)
    expires_at: float | None = None
    refresh_at: float | None = None


class _Abandoned(Exception):
    """The exchanging task was cancelled; a waiter takes over."""


def jwt_expiry(token: str) -> tuple[float | None, float | None]:
    """``(exp, iat)`` from a JWT's payload, unverified (the server verifies); Nones if absent."""
    try:
        payload = token.split(".")[1]
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims: Any = _json.loads(raw)
    except (IndexError, ValueError, binascii.Error):
        return None, None
    if not isinstance(claims, dict):
        return None, None

    def number(name: str) -> float | None:
        # A malformed claim (a 400-digit integer, a non-number) means "not known".
        value = claims.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:
                return None
            return number if math.isfinite(number) else None
        return None

    return number("exp"), number("iat")


def make_token(value: str, *, now: float | None = None) -> Token:
    """Wrap a JWT, planning its refresh ahead of ``exp``.

    The refresh margin is a tenth of the token's lifetime, at most 60 s: long enough to
    cover clock skew and requests queued in the rate limiter, short enough not to waste
    tokens that live only seconds (as in scaled-down tests).
    """
    now = time.time() if now is None else now
    exp, iat = jwt_expiry(value)
    if exp is None:
        return Token(value)
    if iat is not None and iat < exp:
        # Measure the lifetime on the server's clock and start it now on ours, so a skewed
        # local clock neither refreshes on every request nor keeps an expired token.
        lifetime = exp - iat
        expires_at = now + lifetime
    else:
        lifetime = exp - now
        expires_at = exp
    margin = min(60.0, max(0.0, lifetime) * 0.1)
    if lifetime <= 0:
        # Already expired by our clock (skew): use it until the server says 401.
        return Token(value, expires_at=exp)
    return Token(value, expires_at=expires_at, refresh_at=expires_at - margin)


class TokenCache:
    """The cached token of one key, safe to share across threads and event loops."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Token | None = None
        self._inflight: concurrent.futures.Future[Token] | None = None
        #: Exchanges started so far, successful or not (for tests and stats).
        self.exchanges = 0
        _fork.track(self)

    def _after_fork(self) -> None:
        # In a forked child (see revclient._fork): an exchange the parent had under way
        # never finishes here; the cached token stays valid.
        self._lock = threading.Lock()
        self._inflight = None

    def usable(self) -> bool:
        """True while a token is cached and not yet due for refresh, or an exchange runs."""
        with self._lock:
            if self._inflight is not None:
                return True
            return self._fresh(self._token)

    @property
    def token(self) -> Token | None:
        """The cached token, if any."""
        return self._token

    async def get(self, exchange: Callable[[], Awaitable[Token]]) -> Token:
        """The cached token, or the result of one exchange shared by every caller."""
        while True:
            with self._lock:
                token = self._token
                if token is not None and self._fresh(token):
                    return token
                inflight = self._inflight
                if inflight is None:
                    inflight = self._inflight = concurrent.futures.Future()
                    self.exchanges += 1
                    mine = True
                else:
                    mine = False
            if mine:
                return await self._exchange(exchange, inflight)
            try:
                # shield: a cancelled waiter must not cancel the shared exchange.
                return await asyncio.shield(asyncio.wrap_future(inflight))
            except _Abandoned:
                continue

    def _fresh(self, token: Token | None) -> bool:
        """A cached token not yet due for refresh (refreshed ahead of ``exp``)."""
        return token is not None and (token.refresh_at is None or self._clock() < token.refresh_at)

    async def _exchange(
        self,
        exchange: Callable[[], Awaitable[Token]],
        inflight: concurrent.futures.Future[Token],
    ) -> Token:
        try:
            token = await exchange()
        except BaseException as exc:
            with self._lock:
                self._inflight = None
            if isinstance(exc, Exception):
                inflight.set_exception(exc)
            else:
                inflight.set_exception(_Abandoned())
            raise
        with self._lock:
            self._token = token
            self._inflight = None
        inflight.set_result(token)
        return token

    async def invalidate(self, failed: Token) -> None:
        """Forget ``failed`` if it is still the cached token (another task may have refreshed)."""
        with self._lock:
            if self._token is failed or (
                self._token is not None and self._token.value == failed.value
            ):
                self._token = None


@attrs.define(eq=False)
class JWTAuth:
    """The pipeline's auth layer for Rev.io PSA: a bearer JWT from the key's token store.

    ``exchange`` obtains a new token (the key exchange); ``store`` shares one token per
    key and runs one exchange at a time.
    """

    store: TokenStore
    exchange: Callable[[], Awaitable[Token]] = attrs.field(repr=False)

    async def token(self) -> Token:
        """The key's current token, exchanged first when there is none or it is due."""
        return await self.store.get(self.exchange)

    async def invalidate(self, failed: Token) -> None:
        """The server refused ``failed``: drop it, unless another task already replaced it."""
        await self.store.invalidate(failed)

    @staticmethod
    def headers(headers: Redacted[dict[str, str]], token: Token) -> Redacted[dict[str, str]]:
        """``headers`` with the bearer token added."""
        return Redacted({**headers.value, "Authorization": "Bearer " + token.value})
