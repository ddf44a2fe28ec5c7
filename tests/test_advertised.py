"""What servers advertise about a key's budget (issue "budgets", item 3), and budget().

Answers carry the headers of the dialect under test (the sandbox's injected answers):
nothing remaining holds the key until the reset, a tighter limit over the configured
period is obeyed and a looser one never, and ``client.budget()`` shows all of it.
"""

from __future__ import annotations

import time

import pytest
from helpers import rev23

import revclient
import revclient.sync
from revclient.testing import Sandbox

CUSTOMER = "/api/v2/customers/1"
OK = {"data": {"id": 1}}
RATE = revclient.RateLimit(100, 1.0)


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0.4"},
        {"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": "0.4"},
        {"RateLimit-Policy": '"default";q=100;w=1', "RateLimit": '"default";r=0;t=0.4'},
        {"RateLimit": "limit=100, remaining=0, reset=0.4"},
        "epoch",
    ],
    ids=["x-ratelimit", "ratelimit-draft", "ietf-structured", "ietf-older", "x-epoch-reset"],
)
async def test_nothing_remaining_holds_the_key_until_the_reset(
    sandbox: Sandbox, headers: dict[str, str] | str
) -> None:
    if headers == "epoch":  # GitHub's form: the reset as an epoch time
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": f"{time.time() + 0.4:.3f}"}
    assert isinstance(headers, dict)
    sandbox.inject(200, path=CUSTOMER, headers=headers, body=OK)
    async with rev23(sandbox, rate_limit=RATE) as rev:
        await rev.request("GET", CUSTOMER)
        budget = await rev.budget()
        assert 0.1 < budget.paused_for <= 0.4
        assert budget.advertised is not None and budget.advertised.remaining == 0
        answer = await rev.with_raw_response.request("GET", "/api/v2/customers/2")
    assert answer.rate_limit_wait >= 0.1  # held until the server's reset
    assert sandbox.stats.keys["rev23"].rate_limited == 0


async def test_a_tighter_advertised_limit_is_obeyed_and_a_looser_one_never(
    sandbox: Sandbox,
) -> None:
    async with rev23(sandbox, rate_limit=RATE) as rev:
        sandbox.inject(200, path=CUSTOMER, headers={"RateLimit-Policy": "500;w=1"}, body=OK)
        await rev.request("GET", CUSTOMER)
        assert (await rev.budget()).rate == RATE  # looser: ignored
        sandbox.inject(200, path=CUSTOMER, headers={"RateLimit-Policy": "5;w=1"}, body=OK)
        await rev.request("GET", CUSTOMER)
        budget = await rev.budget()
        assert budget.rate.limit == 5 and budget.configured == RATE
        assert rev.rate_limit == RATE  # what the client was configured with stays
        started = time.monotonic()
        for i in range(3):
            await rev.request("GET", f"/api/v2/customers/{i + 2}")
    assert time.monotonic() - started >= 0.35  # paced at 5 per second, not 100


async def test_budget_shows_free_tokens_in_flight_and_queued(sandbox: Sandbox) -> None:
    async with rev23(sandbox, rate_limit=revclient.RateLimit(5, 0.5)) as rev:
        fresh = await rev.budget()
        assert (fresh.free, fresh.in_flight, fresh.queued, fresh.paused_for) == (5, 0, 0, 0.0)
        assert fresh.advertised is None
        for i in range(2):
            await rev.customers.get(i + 1)
        used = await rev.budget()
    assert used.free == 3 and used.in_flight == 0  # two tokens on their way back


async def test_budget_needs_a_budget(sandbox: Sandbox) -> None:
    async with rev23(sandbox, rate_limit=None) as rev:
        with pytest.raises(revclient.ConfigurationError, match="no budget"):
            await rev.budget()


def test_the_sync_client_shows_the_same_budget() -> None:
    with Sandbox(rate_limit=None).run_in_thread() as sb:
        rev = revclient.sync.Rev23(
            sb.rev23_api_key, sb.rev23_tenant, base_url=sb.url, rate_limit=RATE
        )
        with rev:
            rev.customers.get(1)
            budget = rev.budget()
    assert budget.configured == RATE and budget.free == RATE.limit - 1
