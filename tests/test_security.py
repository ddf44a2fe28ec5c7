"""Secrets stay secret; inputs that could redirect or inject are refused."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Awaitable, Callable

import pytest
from helpers import rendered_locals, rev23, revio, sentry_event

import revclient
import revclient.sync
from revclient._transport import encode_path
from revclient.testing import Sandbox
from revclient.testing._ports import free_port

REV23_KEY = "ca_SECRETREV23KEYzzzz0123456789abcdef"
REVIO_KEY = "SECRETREVIOKEYyyyy0123456789"


SANDBOX = {"rate_limit": None, "rev23_api_key": REV23_KEY, "revio_api_key": REVIO_KEY}


def _leaks(text: str, secrets: list[str]) -> list[str]:
    # A REV23 key may be shown by its 12-character prefix, never more.
    found = [s for s in secrets if s in text]
    found += [s[:13] for s in secrets if s.startswith("ca_") and s[:13] in text]
    return found


async def test_no_secret_in_logs_reprs_or_errors(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="revclient")
    texts: list[str] = []
    async with rev23(sandbox) as rev, revio(sandbox) as psa:
        texts += [repr(rev), repr(psa), str(rev.__dict__.get("_ctx"))]
        await rev.request("GET", "/api/v2/customers/1")
        await psa.request("GET", "/billing/api/v1/contacts/1")
        jwt = psa._tokens.token
        assert jwt is not None
        secrets = [REV23_KEY, REVIO_KEY, jwt.value]
        texts += [repr(jwt), repr(psa._tokens)]
        sandbox.inject(500, path="/api/v2/customers/2", times=10)
        sandbox.inject("malformed", path="/billing/api/v1/contacts/2")
        sandbox.revoke("revio")
        sandbox.expire_tokens()
        for call in (
            rev.request("GET", "/api/v2/customers/2"),
            psa.request("GET", "/billing/api/v1/contacts/2"),
            psa.request("GET", "/billing/api/v1/contacts/3"),
        ):
            with pytest.raises(revclient.RevError) as info:
                await call
            texts.append(str(info.value))
            texts.append(repr(info.value))
            texts.append("".join(traceback.format_exception(info.value)))
            texts.append(repr(vars(info.value)))
    texts += [record.getMessage() for record in caplog.records]
    assert any("GET" in r.getMessage() for r in caplog.records)  # DEBUG logging works
    assert "ca_SECRETREV" in repr(rev)  # the 12-character prefix identifies the key
    for text in texts:
        assert not _leaks(text, secrets), text


@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key": "ca_abc\r\nX-Evil: 1", "tenant": "studio"},
        {"api_key": "ca_abc def", "tenant": "studio"},
        {"api_key": "ca_abc", "tenant": "studio\r\nX-Evil: 1"},
        {"api_key": "ca_abc", "tenant": "stu/dio"},
        {"api_key": "ca_abc", "tenant": ""},
        {"api_key": "", "tenant": "studio"},
        {"api_key": 123, "tenant": "studio"},
        {"api_key": "ca_abc", "tenant": "studio", "base_url": "http://cloudappapi.rev23.com"},
        {"api_key": "ca_abc", "tenant": "studio", "base_url": "ftp://x"},
        {"api_key": "ca_abc", "tenant": "studio", "base_url": "https://u:p@host"},
        {"api_key": "ca_abc", "tenant": "studio", "base_url": "https://host/?q=1"},
        {"api_key": "ca_abc", "tenant": "studio", "timeout": -1},
        {"api_key": "ca_abc", "tenant": "studio", "rate_limit": 200},
        {"api_key": "ca_abc", "tenant": "studio", "retry": 3},
    ],
)
def test_bad_rev23_configuration_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(revclient.ConfigurationError) as info:
        revclient.AsyncRev23(**kwargs)  # type: ignore[arg-type]
    key = kwargs.get("api_key")
    if isinstance(key, str) and key:
        assert key not in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"api_key": "k", "host": "acme.psarev.io\r\nX: y"},
        {"api_key": "k", "host": "acme.psarev.io/path"},
        {"api_key": "k", "host": "-bad-.io"},
        {"api_key": "k", "host": "acme.psarev.io", "auth_url": "http://evil.example"},
        {"api_key": "k\n", "host": "acme.psarev.io"},
    ],
)
def test_bad_revio_configuration_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(revclient.ConfigurationError):
        revclient.AsyncRevio(**kwargs)  # type: ignore[arg-type]


def test_environment_variables_are_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REV23_API_KEY", "ca_fromenvironment000")
    monkeypatch.setenv("REV23_TENANT", "envstudio")
    monkeypatch.setenv("REVIO_API_KEY", "envkey")
    monkeypatch.setenv("REVIO_HOST", "env.psarev.io")
    monkeypatch.setenv("REVIO_BASE_URL", "https://apim.psarev.io")
    rev = revclient.AsyncRev23()
    assert rev.tenant == "envstudio" and rev._base_url == "https://cloudappapi.rev23.com"
    psa = revclient.AsyncRevio()
    assert psa.host == "env.psarev.io" and psa._base_url == "https://apim.psarev.io"
    assert psa.auth_url == "https://apim.psarev.io"
    monkeypatch.delenv("REV23_API_KEY")
    with pytest.raises(revclient.ConfigurationError, match="REV23_API_KEY"):
        revclient.AsyncRev23()


def test_plain_http_needs_loopback_or_an_explicit_opt_in() -> None:
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"):
        revclient.AsyncRev23("ca_abc", "studio", base_url=url)
    revclient.AsyncRev23("ca_abc", "studio", base_url="http://10.0.0.1", allow_insecure=True)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (42, "42"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("x?y#z", "x%3Fy%23z"),
        ("%2F", "%252F"),
        ("ü", "%C3%BC"),
        ("a b", "a%20b"),
    ],
)
def test_path_parameters_cannot_change_the_path(value: object, encoded: str) -> None:
    assert encode_path("/api/v2/customers/{}", value) == f"/api/v2/customers/{encoded}"


@pytest.mark.parametrize("value", ["", ".", "..", None, True, 1.5, b"x"])
def test_unusable_path_parameters_are_refused(value: object) -> None:
    with pytest.raises(revclient.ConfigurationError):
        encode_path("/api/v2/customers/{}", value)


# -- No secret in the frames an error reporter records (issue 13, item 13) --------------------
# Error reporters record every frame's local variables (sentry-sdk by default); the check
# runs sentry-sdk itself, with a transport that records instead of sending, and the
# standard library's ``capture_locals``. The test's own frames never bind a secret.


def _dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens: connection refused


_NO_RETRY = revclient.RetryPolicy(max_attempts=1)
# Any JWT starts so (base64 of '{"'); spelled apart, as the source lines are in the event.
_SECRETS = [REV23_KEY, REVIO_KEY, "ey" + "J"]


async def _rev23_404(sb: Sandbox) -> None:
    async with rev23(sb) as rev:
        await rev.request("GET", "/api/v2/nothing-here")


async def _rev23_refused(sb: Sandbox) -> None:
    async with revclient.AsyncRev23(
        sb.rev23_api_key, sb.rev23_tenant, base_url=_dead_url(), retry=_NO_RETRY
    ) as rev:
        await rev.customers.get(1)


async def _rev23_read_timeout(sb: Sandbox) -> None:
    sb.inject("timeout", path="/api/v2/customers/1", delay=5)
    async with rev23(sb, timeout=0.2, retry=_NO_RETRY) as rev:
        await rev.customers.get(1)


async def _rev23_echoes_the_key(sb: Sandbox) -> None:
    sb.inject(400, body={"message": f"unknown key {sb.rev23_api_key}"})
    async with rev23(sb) as rev:
        await rev.customers.get(1)


async def _revio_404(sb: Sandbox) -> None:
    async with revio(sb) as psa:
        await psa.request("GET", "/billing/api/v1/nothing-here")


async def _revio_refused_with_a_jwt(sb: Sandbox) -> None:
    async with revio(sb) as psa:
        await psa.customers.get(1)  # a JWT in the token cache
    async with revclient.AsyncRevio(
        sb.revio_api_key, sb.revio_host, base_url=_dead_url(), auth_url=sb.url, retry=_NO_RETRY
    ) as psa:
        await psa.customers.get(1)


async def _revio_exchange_refused(sb: Sandbox) -> None:
    sb.revoke("revio")
    async with revio(sb) as psa:
        await psa.customers.get(1)


async def _revio_exchange_unreachable(sb: Sandbox) -> None:
    async with revio(sb, auth_url=_dead_url(), retry=_NO_RETRY) as psa:
        psa._tokens._token = None  # no cached JWT: the key goes to the exchange
        await psa.customers.get(1)


async def _revio_echoes_the_key_and_a_jwt(sb: Sandbox) -> None:
    async with revio(sb) as psa:
        await psa.customers.get(1)
        jwt = psa._tokens.token
        assert jwt is not None
        sb.inject(403, body={"message": f"{sb.revio_api_key} with Bearer {jwt.value}"})
        del jwt
        await psa.customers.get(2)


async def _rev23_another_budget(sb: Sandbox) -> None:
    async with rev23(sb):  # a ConfigurationError out of the constructor: one key, two budgets
        revclient.AsyncRev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url)


async def _revio_another_budget(sb: Sandbox) -> None:
    async with revio(sb):
        revclient.AsyncRevio(sb.revio_api_key, sb.revio_host, base_url=sb.url)


async def _sync_rev23_another_budget(sb: Sandbox) -> None:
    def build() -> None:  # the key is read in the call: no frame of the test holds it
        revclient.sync.Rev23(sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url)

    async with rev23(sb):
        await asyncio.to_thread(build)


async def _manager_revio_another_budget(sb: Sandbox) -> None:
    def build() -> None:
        with revclient.sync.SessionManager() as manager:
            manager.revio(sb.revio_api_key, sb.revio_host, base_url=sb.url)

    async with revio(sb), revclient.SessionManager() as manager:
        with pytest.raises(revclient.ConfigurationError):  # the async manager first
            manager.revio(sb.revio_api_key, sb.revio_host, base_url=sb.url)
        await asyncio.to_thread(build)


@pytest.mark.parametrize(
    "case",
    [
        _rev23_another_budget,
        _revio_another_budget,
        _sync_rev23_another_budget,
        _manager_revio_another_budget,
        _rev23_404,
        _rev23_refused,
        _rev23_read_timeout,
        _rev23_echoes_the_key,
        _revio_404,
        _revio_refused_with_a_jwt,
        _revio_exchange_refused,
        _revio_exchange_unreachable,
        _revio_echoes_the_key_and_a_jwt,
    ],
    ids=lambda case: case.__name__.strip("_"),
)
async def test_no_secret_in_the_frames_an_error_reporter_records(
    sandbox: Sandbox, case: Callable[[Sandbox], Awaitable[None]]
) -> None:
    with pytest.raises(revclient.RevError) as info:
        await case(sandbox)
    exc = info.value
    for text in (sentry_event(exc), rendered_locals(exc), str(exc)):
        assert not _leaks(text, _SECRETS), text
    if case in (_rev23_echoes_the_key, _revio_echoes_the_key_and_a_jwt):
        assert isinstance(exc, revclient.APIError)
        client = (
            revclient.AsyncRev23(REV23_KEY, "studio", rate_limit=None)
            if case is _rev23_echoes_the_key
            else revclient.AsyncRevio(REVIO_KEY, "studio.psarev.io", rate_limit=None)
        )
        label = client.key_label
        assert label in str(exc)  # the key's label stands in for it
        assert not _leaks(repr(exc.body), _SECRETS)
