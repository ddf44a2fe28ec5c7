"""Quotas (issue "budgets", item 2): a 403 that says when it replenishes is a quota.

Azure API Management, in front of Rev.io, answers an exhausted quota with 403, a
``Retry-After`` and "Out of call volume quota. Quota will be replenished in 5.03:23:11.";
the sandbox's ``quota=`` knob answers the same way. Within ``max_retry_after`` the key
pauses and the call is retried; beyond it, ``QuotaExceededError`` at once. A 403 without a
replenish time stays a permission problem.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from helpers import rev23, revio

import revclient
from revclient.testing import Sandbox


async def test_a_quota_that_replenishes_soon_pauses_the_key_and_every_call_succeeds() -> None:
    # Fractional Retry-After: the half-second period, not a whole second, per wait.
    quota = Sandbox(rate_limit=None, quota=(5, 0.5), retry_after="fractional")
    async with quota as sb, rev23(sb) as rev:
        got = await asyncio.gather(*(rev.customers.get(i) for i in range(1, 13)))
        stats = sb.stats.keys["rev23"]
    assert [c.id for c in got] == list(range(1, 13))
    assert stats.quota_exceeded >= 1  # the server did say so, and the calls waited


@pytest.mark.parametrize("retry_after", ["fractional", "none"])
async def test_a_quota_that_replenishes_later_than_the_policy_waits_raises_at_once(
    retry_after: str,
) -> None:
    # A day-long quota: with a Retry-After header, or with the time only in the message.
    async with (
        Sandbox(rate_limit=None, quota=(2, 86_400.0), retry_after=retry_after) as sb,
        revio(sb) as psa,  # the key exchange spends one call of the quota
    ):
        await psa.customers.get(1)
        started = time.monotonic()
        with pytest.raises(revclient.QuotaExceededError) as info:
            await psa.customers.get(2)
        assert time.monotonic() - started < 5  # no waiting, no retries
    exc = info.value
    assert isinstance(exc, revclient.RateLimitError)
    assert not isinstance(exc, revclient.PermissionDeniedError)
    assert exc.status == 403
    assert exc.retry_after is not None and 86_000 < exc.retry_after <= 86_400
    assert "Out of call volume quota" in exc.message


async def test_apims_day_format_is_read_from_the_message(sandbox: Sandbox) -> None:
    message = "Out of call volume quota. Quota will be replenished in 5.03:23:11."
    sandbox.inject(403, body={"statusCode": 403, "message": message})
    async with rev23(sandbox) as rev:
        with pytest.raises(revclient.QuotaExceededError) as info:
            await rev.customers.get(1)
    assert info.value.retry_after == ((5 * 24 + 3) * 60 + 23) * 60 + 11


async def test_a_403_without_a_replenish_time_is_a_permission_problem(sandbox: Sandbox) -> None:
    sandbox.inject(403, body={"message": "missing permission read:customer"})
    async with rev23(sandbox) as rev:
        with pytest.raises(revclient.PermissionDeniedError) as info:
            await rev.customers.get(1)
    assert not isinstance(info.value, revclient.RateLimitError)
    assert sandbox.stats.total_requests == 1  # not retried


async def test_a_quota_on_the_key_exchange_is_a_quota_not_a_refused_key() -> None:
    async with Sandbox(rate_limit=None, quota=(2, 86_400.0)) as sb, revio(sb) as psa:
        await psa.customers.get(1)  # the exchange and this call: the quota is spent
        sb.expire_tokens()
        with pytest.raises(revclient.QuotaExceededError):
            await psa.customers.get(2)  # 401, then the exchange answers 403 + quota
