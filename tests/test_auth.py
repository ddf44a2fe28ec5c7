"""Rev.io PSA tokens: single-flight exchange, refresh ahead of exp, 401 handling."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
from helpers import revio as _revio

import revclient
from revclient._auth import jwt_expiry, make_token
from revclient.testing import FAST_RETRY, Sandbox

CONTACT = "/billing/api/v1/contacts/1"


#: No server-side limit here: these tests are about tokens, not budgets.
SANDBOX = {"rate_limit": None}


def revio(sb: Sandbox, **kw: object) -> revclient.AsyncRevio:
    kw.setdefault("rate_limit", None)
    return _revio(sb, **kw)


def _jwt(claims: dict[str, object]) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part(claims)}.sig"


def test_jwt_expiry_reads_exp_and_tolerates_garbage() -> None:
    assert jwt_expiry(_jwt({"exp": 2000, "iat": 1000})) == (2000.0, 1000.0)
    assert jwt_expiry(_jwt({"sub": "x"})) == (None, None)
    assert jwt_expiry("not-a-jwt") == (None, None)
    assert jwt_expiry("a.!!!.c") == (None, None)
    assert jwt_expiry(_jwt(["list"])) == (None, None)  # type: ignore[arg-type]


def test_refresh_is_planned_ahead_of_exp() -> None:
    token = make_token(_jwt({"exp": 1000 + 3600, "iat": 1000}), now=1000)
    assert token.refresh_at == 1000 + 3600 - 60  # a minute ahead for long-lived tokens
    short = make_token(_jwt({"exp": 1010, "iat": 1000}), now=1000)
    assert short.refresh_at == pytest.approx(1009)  # a tenth of a short lifetime
    assert make_token("opaque").refresh_at is None  # no exp: kept until a 401
    assert "value" not in repr(token) and "sig" not in repr(token)


def test_a_skewed_local_clock_neither_refreshes_every_time_nor_trusts_expired_tokens() -> None:
    # Our clock 4000 s ahead of the server's: the lifetime still counts from receipt.
    fast = make_token(_jwt({"exp": 4600, "iat": 1000}), now=5000)
    assert fast.refresh_at == 5000 + 3600 - 60
    # Behind by an hour: refreshed after the token's lifetime, not an hour late.
    slow = make_token(_jwt({"exp": 4600, "iat": 1000}), now=-2600)
    assert slow.refresh_at == -2600 + 3600 - 60
    # No iat and already past exp by our clock: kept until the server answers 401.
    assert make_token(_jwt({"exp": 100}), now=5000).refresh_at is None


async def test_300_concurrent_requests_with_a_cold_token_exchange_once(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        bodies = await asyncio.gather(*(psa.request("GET", CONTACT) for _ in range(300)))
    assert all(b["data"]["contactId"] == 1 for b in bodies)
    assert sandbox.stats.keys["revio"].exchanges == 1


async def test_300_concurrent_requests_with_an_expired_token_exchange_once(
    sandbox: Sandbox,
) -> None:
    async with revio(sandbox) as psa:
        await psa.request("GET", CONTACT)
        sandbox.expire_tokens()  # every request below first meets a 401
        await asyncio.gather(*(psa.request("GET", CONTACT) for _ in range(300)))
    assert sandbox.stats.keys["revio"].exchanges == 2


async def test_token_is_refreshed_ahead_of_exp_without_a_401() -> None:
    async with Sandbox(rate_limit=None, token_ttl=0.5) as sb:
        async with revio(sb) as psa:
            await psa.request("GET", CONTACT)
            await asyncio.sleep(0.47)  # past the refresh point (exp - 10 % of the lifetime)
            await psa.request("GET", CONTACT)
        assert sb.stats.keys["revio"].exchanges == 2
        assert 401 not in sb.stats.statuses()


async def test_revoked_key_raises_after_at_most_two_exchanges(sandbox: Sandbox) -> None:
    async with revio(sandbox) as psa:
        await psa.request("GET", CONTACT)
        sandbox.revoke("revio")
        with pytest.raises(revclient.AuthenticationError) as info:
            await psa.request("GET", CONTACT)
    assert info.value.status == 401
    stats = sandbox.stats.keys["revio"]
    assert stats.exchanges + stats.failed_exchanges <= 2


async def test_invalid_key_fails_at_once_without_retry_loops(sandbox: Sandbox) -> None:
    async with revclient.AsyncRevio(
        api_key="not-a-real-key", host=sandbox.revio_host, base_url=sandbox.url
    ) as psa:
        with pytest.raises(revclient.AuthenticationError, match="Invalid API key"):
            await psa.request("GET", CONTACT)
    exchanges = [r for r in sandbox.stats.log if "auth" in r.path]
    assert len(exchanges) == 1


async def test_exchange_answering_4xx_is_an_authentication_error(sandbox: Sandbox) -> None:
    sandbox.inject(403, path="/api/v1/auth", body={"title": "Forbidden"})
    async with revio(sandbox) as psa:
        with pytest.raises(revclient.AuthenticationError) as info:
            await psa.request("GET", CONTACT)
    assert info.value.status == 403


async def test_exchange_is_retried_on_503(sandbox: Sandbox) -> None:
    sandbox.inject(503, path="/api/v1/auth")
    async with revio(sandbox, retry=FAST_RETRY) as psa:
        body = await psa.request("GET", CONTACT)
    assert body["data"]["contactId"] == 1


async def test_second_401_raises(sandbox: Sandbox) -> None:
    sandbox.inject(401, path="/billing", times=2, body={"detail": "Token expired"})
    async with revio(sandbox) as psa:
        with pytest.raises(revclient.AuthenticationError, match="Token expired"):
            await psa.request("GET", CONTACT)
    assert sandbox.stats.keys["revio"].exchanges == 2


async def test_exchange_without_token_is_a_decode_error(sandbox: Sandbox) -> None:
    sandbox.inject(200, path="/api/v1/auth", body={"data": {}})
    async with revio(sandbox) as psa:
        with pytest.raises(revclient.ResponseDecodeError, match=r"data\.token"):
            await psa.request("GET", CONTACT)


async def test_auth_url_is_separate_from_base_url(sandbox: Sandbox) -> None:
    async with revclient.AsyncRevio(
        api_key=sandbox.revio_api_key,
        host=sandbox.revio_host,
        base_url=sandbox.url,
        auth_url=sandbox.url.replace("127.0.0.1", "localhost"),
    ) as psa:
        await psa.request("GET", CONTACT)
    assert sandbox.stats.keys["revio"].exchanges == 1
