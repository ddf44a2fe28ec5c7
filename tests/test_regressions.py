"""Regression tests for bugs found in review (each one failed before its fix)."""

from __future__ import annotations

import asyncio
import gc
import pickle
import time

import pytest
from helpers import rev23

import revclient
from revclient._ratelimit import TokenBucket
from revclient.revio._models import ProjectOptions
from revclient.testing import Sandbox

CUSTOMER = "/api/v2/customers/1"


async def test_session_manager_rate_limit_none_disables_limiting() -> None:
    # DESIGN: rate_limit=None disables limiting; SessionManager kwargs are its clients' defaults.
    async with revclient.SessionManager(rate_limit=None, timeout=None) as manager:
        rev = manager.rev23(api_key="ca_" + "a" * 40, tenant="studio-a")
        assert rev.rate_limit is None
        assert rev.options.timeout is None


async def test_bucket_survives_between_short_lived_clients() -> None:
    # DESIGN: one bucket per key per process, shared by every client. A client per unit of
    # work (a Flask view, a script loop) must not get a fresh budget each time.
    rate = revclient.RateLimit(3, 0.5)
    async with Sandbox(rate_limit=(3, 0.5)) as sb:

        async def one() -> None:
            async with rev23(sb, rate_limit=rate, retry=revclient.RetryPolicy.none()) as rev:
                await rev.request("GET", CUSTOMER)

        for _ in range(5):
            await one()
            gc.collect()  # what the cyclic GC does on its own between requests
        assert sb.stats.keys["rev23"].rate_limited == 0


async def test_429_without_retry_after_after_idle_still_pauses() -> None:
    # A 429 without Retry-After while bursting pauses the key "until the oldest token
    # returns"; tokens that returned long ago must not make the pause zero (an instant
    # retry burst).
    rate = revclient.RateLimit(2, 0.3, burst=2)
    bucket = TokenBucket(rate)
    await bucket.acquire()
    await bucket.release()
    await asyncio.sleep(0.5)  # that token is back; its stale return time is still queued
    await bucket.pause(None)
    started = time.monotonic()
    await bucket.acquire()
    assert time.monotonic() - started >= 0.2


async def test_429_without_retry_after_pauses_while_another_token_returned_in_flight() -> None:
    # The same through the pipeline: token A returns while request B is in flight; B gets a
    # 429 without Retry-After; B's retry must wait for B's own token (0.3 s), not go at once.
    rate = revclient.RateLimit(5, 0.3, burst=5)
    async with Sandbox(rate_limit=None, latency=0.4) as sb:
        async with rev23(sb, rate_limit=rate) as rev:
            await rev.request("GET", CUSTOMER)  # answered at 0.4, its token returns at 0.7
            sb.reset_stats()
            sb.inject(429, path=CUSTOMER, times=1)  # no Retry-After header
            await rev.request("GET", CUSTOMER)  # sent at 0.4, 429 at 0.8 (A's token is back)
        arrivals = [r.arrival for r in sb.stats.log if r.path == CUSTOMER]
    assert len(arrivals) == 2
    # the 429 takes 0.4 s (latency); the retry must then wait for a token to return (0.3 s)
    assert arrivals[1] - arrivals[0] >= 0.4 + 0.2, arrivals


def test_nested_model_to_dict_is_wire_form() -> None:
    # _models: to_dict() "gives the wire form back"; nested models must not leak extra/raw.
    body = {"statuses": [{"id": 1, "name": "Open", "colorCode": "red"}]}
    options = ProjectOptions.from_dict(body)
    assert options.to_dict() == body


async def test_request_rejects_percent_encoded_dot_segments(sandbox: Sandbox) -> None:
    # request() refuses "/x/../customers/1" but "%2e%2e" is the same dot segment once yarl
    # normalizes the URL: "/api/v2/x/%2e%2e/customers/1" is sent as /api/v2/customers/1.
    async with rev23(sandbox) as rev:
        with pytest.raises(revclient.ConfigurationError):
            await rev.request("GET", "/api/v2/x/%2e%2e/customers/1")
    assert all(r.path != CUSTOMER for r in sandbox.stats.log)


def test_api_errors_survive_pickling() -> None:
    # Errors must cross process boundaries (multiprocessing / ProcessPoolExecutor pulls).
    error = revclient.NotFoundError(
        "gone", status=404, body={"message": "gone"}, headers={"X-Request-Id": "r1"}
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is revclient.NotFoundError
    assert (copy.status, copy.request_id, str(copy)) == (404, "r1", str(error))
