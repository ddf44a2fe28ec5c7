"""Faults in the middle of paginated pulls: nothing skipped, nothing repeated, typed outcomes."""

from __future__ import annotations

import asyncio
import time

import pytest
from helpers import rev23, revio

import revclient
from revclient.testing import FAST_RETRY, Sandbox


async def _pull_ids(paginator: revclient.AsyncPaginator[revclient.rev23.Customer]) -> list[int]:
    return [int(c.id) async for c in paginator]  # type: ignore[arg-type]


async def test_token_expiry_in_the_middle_of_a_5000_record_pull() -> None:
    async with Sandbox(rate_limit=None, records={"contacts": 5000}) as sb:
        async with revio(sb, rate_limit=None, retry=FAST_RETRY) as psa:
            seen: list[int] = []
            async for page in psa.contacts.list(page_size=100).pages():
                seen.extend(int(c.contact_id) for c in page.items)  # type: ignore[arg-type]
                if len(seen) in (1000, 2500, 4000):
                    sb.expire_tokens()  # the next page meets a 401 with the old JWT
        assert seen == list(range(1, 5001))
        assert sb.stats.keys["revio"].exchanges == 4


async def test_short_lived_tokens_during_a_concurrent_pull() -> None:
    async with Sandbox(rate_limit=None, records={"contacts": 5000}, token_ttl=0.3) as sb:
        async with revio(sb, rate_limit=None, retry=FAST_RETRY) as psa:
            contacts = [
                int(c.contact_id)  # type: ignore[arg-type]
                async for c in psa.contacts.list(page_size=50, concurrency=4)
            ]
        assert contacts == list(range(1, 5001))


async def test_key_revoked_mid_pull_raises_and_keeps_what_was_read() -> None:
    async with Sandbox(rate_limit=None, records={"contacts": 1000}) as sb:
        async with revio(sb, rate_limit=None, retry=FAST_RETRY) as psa:
            seen: list[int] = []
            with pytest.raises(revclient.AuthenticationError):
                async for page in psa.contacts.list(page_size=100).pages():
                    seen.extend(int(c.contact_id) for c in page.items)  # type: ignore[arg-type]
                    if len(seen) == 300:
                        sb.revoke("revio")
        assert seen == list(range(1, 301))
        stats = sb.stats.keys["revio"]
        assert stats.exchanges + stats.failed_exchanges <= 2


@pytest.mark.parametrize("fault", ["drop_before", "drop_after", "html", 502, 503, 500])
@pytest.mark.parametrize("concurrency", [1, 4])
async def test_transient_faults_mid_pull_lose_nothing(fault: str | int, concurrency: int) -> None:
    async with Sandbox(rate_limit=None, records={"rev23_customers": 1000}) as sb:
        async with rev23(sb, rate_limit=None, retry=FAST_RETRY) as rev:
            # Faults on pages 3 and 7 (by query), twice each.
            for _ in range(2):
                sb.inject(fault, path="/api/v2/customers", times=1)
            ids = await _pull_ids(rev.customers.list(page_size=50, concurrency=concurrency))
        assert ids == list(range(1, 1001))


async def test_malformed_page_mid_pull_is_a_decode_error() -> None:
    async with Sandbox(rate_limit=None, records={"rev23_customers": 300}) as sb:
        async with rev23(sb, rate_limit=None, retry=FAST_RETRY) as rev:
            seen: list[int] = []
            with pytest.raises(revclient.ResponseDecodeError):
                async for page in rev.customers.list(page_size=100).pages():
                    seen.extend(int(c.id) for c in page.items)  # type: ignore[arg-type]
                    sb.inject("malformed", path="/api/v2/customers")
        assert seen == list(range(1, 101))


async def test_rate_limited_concurrent_pull_keeps_the_window() -> None:
    async with Sandbox(rate_limit=(20, 0.2), records={"rev23_customers": 2000}) as sb:
        async with rev23(sb) as rev:
            ids = await _pull_ids(rev.customers.list(page_size=50, concurrency=8))
        assert ids == list(range(1, 2001))
        assert sb.stats.keys["rev23"].rate_limited == 0


async def test_cancelling_a_concurrent_pull_leaves_nothing_running() -> None:
    async with Sandbox(rate_limit=None, latency=0.05, records={"rev23_customers": 5000}) as sb:
        async with rev23(sb, rate_limit=None) as rev:
            got: list[int] = []

            async def pull() -> None:
                async for c in rev.customers.list(page_size=50, concurrency=8):
                    got.append(int(c.id))  # type: ignore[arg-type]

            task = asyncio.create_task(pull())
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            cancelled_at = time.monotonic()
            await asyncio.sleep(0.2)
            # No read-ahead left behind: nothing arrives after the pull was cancelled.
            arrivals = sb.stats.keys["rev23"].arrivals
            assert arrivals and max(arrivals) < cancelled_at
        assert got == list(range(1, len(got) + 1))
