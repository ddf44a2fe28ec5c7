"""The fault matrix through the public API: each fault gets its typed outcome.

Request-level faults are here; faults in the middle of paginated pulls are in
``test_pull_faults.py``.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import attrs
import pytest
from helpers import rev23, revio

import revclient
from revclient.testing import FAST_RETRY, Sandbox

CUSTOMER = "/api/v2/customers/1"
TICKET = "/psac/api/v1/ticket"


SANDBOX = {"rate_limit": None}


def _client(sb: Sandbox) -> revclient.AsyncRev23:
    # A generous budget so the 429 pause logic is active, fast backoff for speed.
    return rev23(
        sb,
        rate_limit=revclient.RateLimit(1000, 1.0),
        retry=attrs.evolve(FAST_RETRY, max_retry_after=5),
    )


def _date(seconds: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "min_wait"),
    [
        ("0.2", 0.2),  # seconds (fractional)
        ("1", 1.0),  # integer seconds
        ("-3", 0.0),  # negative: retry now
        ("soon", 0.0),  # garbage: like no header (wait for the oldest token)
        (None, 0.0),  # no header
        ("date+1", 0.0),  # an HTTP-date (second precision, so "about now" to 1 s)
    ],
)
async def test_429_variants_are_retried_after_the_pause(
    sandbox: Sandbox, retry_after: str | None, min_wait: float
) -> None:
    headers = {}
    if retry_after == "date+1":
        headers["Retry-After"] = _date(1)
    elif retry_after is not None:
        headers["Retry-After"] = retry_after
    sandbox.inject(429, path=CUSTOMER, headers=headers)
    async with _client(sandbox) as rev:
        started = time.monotonic()
        body = await rev.request("GET", CUSTOMER)
        waited = time.monotonic() - started
    assert body["id"] == 1
    assert waited >= min_wait - 0.01
    assert waited < min_wait + 5  # the pause asked for, not a longer one (load-proof bound)


@pytest.mark.parametrize("retry_after", ["3600", "1e12", "inf", "date+7200"])
async def test_429_with_a_huge_retry_after_raises_at_once(
    sandbox: Sandbox, retry_after: str
) -> None:
    value = _date(7200) if retry_after == "date+7200" else retry_after
    sandbox.inject(429, path=CUSTOMER, headers={"Retry-After": value})
    async with _client(sandbox) as rev:
        started = time.monotonic()
        with pytest.raises(revclient.RateLimitError) as info:
            await rev.request("GET", CUSTOMER)
    assert time.monotonic() - started < 30  # raised at once, not after the hour it asked for
    assert info.value.retry_after is not None and info.value.retry_after > 5
    assert sum(1 for r in sandbox.stats.log if r.path == CUSTOMER) == 1
    assert info.value.status == 429


async def test_429_pause_counts_against_the_total_time_bound(sandbox: Sandbox) -> None:
    sandbox.inject(429, path=CUSTOMER, headers={"Retry-After": "30"})
    policy = revclient.RetryPolicy(max_retry_after=60, total_timeout=1.0)
    async with rev23(sandbox, rate_limit=revclient.RateLimit(100, 1.0), retry=policy) as rev:
        started = time.monotonic()
        with pytest.raises(revclient.RateLimitError) as info:
            await rev.request("GET", CUSTOMER)
    assert time.monotonic() - started < 15  # raised at once, not after the 30 s pause
    assert info.value.retry_after == 30
    assert sum(1 for r in sandbox.stats.log if r.path == CUSTOMER) == 1


async def test_429s_do_not_spend_attempts(sandbox: Sandbox) -> None:
    # Ten 429s in a row with max_attempts=4: the request still succeeds on the 11th try.
    sandbox.inject(429, path=CUSTOMER, times=10, headers={"Retry-After": "0.01"})
    async with _client(sandbox) as rev:
        assert (await rev.request("GET", CUSTOMER))["id"] == 1
    assert sum(1 for r in sandbox.stats.log if r.path == CUSTOMER) == 11


@pytest.mark.parametrize("limited", [True, False])
async def test_429_forever_gives_up_at_the_total_time_bound(
    sandbox: Sandbox, limited: bool
) -> None:
    sandbox.inject(429, path=CUSTOMER, times=10_000, headers={"Retry-After": "0.01"})
    policy = attrs.evolve(FAST_RETRY, total_timeout=0.5)
    rate = revclient.RateLimit(1000, 1.0) if limited else None
    async with rev23(sandbox, rate_limit=rate, retry=policy) as rev:
        started = time.monotonic()
        with pytest.raises(revclient.RateLimitError) as info:
            await rev.request("GET", CUSTOMER)
    assert 0.4 < time.monotonic() - started < 10  # gave up, not 10,000 tries (100 s)
    assert info.value.retry_after == pytest.approx(0.01)
    # Paced and backed off, not hammering the server (at most one per 10 ms).
    assert sum(1 for r in sandbox.stats.log if r.path == CUSTOMER) < 60


async def test_html_error_page_keeps_the_page_out_of_the_message(sandbox: Sandbox) -> None:
    page = b"<html><body><h1>404 Not Found</h1>" + b"x" * 5000 + b"</body></html>"
    sandbox.inject(404, path=CUSTOMER, body=page, headers={"Content-Type": "text/html"})
    async with _client(sandbox) as rev:
        with pytest.raises(revclient.NotFoundError) as info:
            await rev.request("GET", CUSTOMER)
    assert "<html>" not in str(info.value)
    assert isinstance(info.value.body, str) and info.value.body.startswith("<html>")


async def test_problem_details_error_body(sandbox: Sandbox) -> None:
    async with revio(sandbox, rate_limit=None) as psa:
        with pytest.raises(revclient.BadRequestError) as info:
            await psa.request("POST", TICKET, json={"customerId": 1})
    assert info.value.body["status"] == 400
    assert "ticketDescription: The ticketDescription field is required." in str(info.value)


async def test_5xx_burst_then_recovery(sandbox: Sandbox) -> None:
    sandbox.inject(503, path="/api/v2/customers/", times=30)
    async with _client(sandbox) as rev:
        results = await asyncio.gather(
            *(rev.request("GET", f"/api/v2/customers/{i}") for i in range(1, 21)),
            return_exceptions=True,
        )
    ok = [r for r in results if isinstance(r, dict)]
    failed = [r for r in results if isinstance(r, BaseException)]
    # 30 failures spread over 20 requests with 4 attempts each: every request either
    # recovered or failed with the typed error, nothing else.
    assert all(isinstance(e, revclient.ServerError) for e in failed)
    assert len(ok) + len(failed) == 20
    assert {r["id"] for r in ok} <= set(range(1, 21))


async def test_post_never_duplicated_under_any_fault(sandbox: Sandbox) -> None:
    faults = ["drop_before", "drop_after", "timeout", 500, 502, 503, 504, "html"]
    async with revio(sandbox, rate_limit=None, timeout=0.3, retry=FAST_RETRY) as psa:
        for fault in faults:
            sandbox.inject(fault, path=TICKET, delay=1.0)
            before = sum(1 for r in sandbox.stats.log if r.path == TICKET)
            with pytest.raises(revclient.RevError):
                await psa.request(
                    "POST", TICKET, json={"customerId": 1, "ticketDescription": str(fault)}
                )
            if fault == "timeout":
                await asyncio.sleep(1.0)  # the sandbox logs the slow request when it ends
            after = sum(1 for r in sandbox.stats.log if r.path == TICKET)
            assert after - before == 1, fault
