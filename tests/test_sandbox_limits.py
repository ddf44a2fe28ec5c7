"""The Sandbox's server-side limiter families: unit tests on synthetic times, then real HTTP."""

from __future__ import annotations

import copy
import math
from collections.abc import AsyncIterator

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from revclient.testing import LIMITERS, Sandbox
from revclient.testing._limits import (
    FixedWindow,
    LeakyBucket,
    RateLimiter,
    SlidingCounter,
    TokenBucket,
    WindowLog,
    check_limiter,
    make_limiter,
)

# ------------------------------------------------------------------ families, synthetic times


def test_window_log() -> None:
    log = WindowLog(2, 1.0)
    assert log.admit(0.0) is None and log.admit(0.5) is None
    assert log.admit(0.9) == 1.0  # the oldest accepted arrival leaves the window
    assert log.admit(0.999) == 1.0  # refusals are not logged
    assert log.admit(1.0) is None
    assert log.admit(1.2) == 1.5


def test_fixed_window_resets_at_aligned_boundaries() -> None:
    win = FixedWindow(3, 1.0, origin=10.25)
    assert [win.admit(t) for t in (10.9, 11.0, 11.1)] == [None, None, None]
    assert win.admit(11.2) == 11.25  # the next boundary, not 1 s after the first arrival
    # 2 * limit accepted within 0.4 s across the boundary.
    assert [win.admit(t) for t in (11.25, 11.25, 11.3)] == [None, None, None]
    assert win.admit(11.3) == 12.25
    # A window with no arrivals simply starts empty.
    assert [win.admit(20.0) for _ in range(4)] == [None, None, None, 20.25]


def test_sliding_counter_estimate() -> None:
    sc = SlidingCounter(10, 1.0)
    assert all(sc.admit(0.5) is None for _ in range(10))
    assert sc.admit(0.6) == 1.0 + 1.0 * (1 - 9 / 10)  # window 0 alone is full: 1.1
    # At 1.25 the previous window weighs 10 * 0.75 = 7.5: two more fit (8.5, then 9.5 + 1 > 10).
    assert sc.admit(1.25) is None and sc.admit(1.25) is None
    assert sc.estimate(1.25) == pytest.approx(9.5)
    # Refused although the limits library (which floors 9.5 to 9) would accept it.
    retry = sc.admit(1.25)
    assert retry == pytest.approx(1.3)  # 2 + 10 * (1 - 0.3) + 1 == 10
    assert sc.admit(1.29) is not None
    assert sc.admit(1.3) is None
    # Only accepted requests count: refusals leave the retry time where it was.
    for _ in range(50):
        assert sc.admit(1.31) == pytest.approx(1.4)


def test_sliding_counter_waits_for_the_current_window_to_age() -> None:
    sc = SlidingCounter(2, 1.0)
    assert sc.admit(0.1) is None and sc.admit(0.2) is None
    # Window 0 alone breaks the limit: at 1 + u it weighs 2 * (1 - u), which must be <= 1.
    assert sc.admit(0.3) == pytest.approx(1.5)
    assert sc.admit(1.4) == pytest.approx(1.5)
    assert sc.admit(1.5) is None
    one = SlidingCounter(1, 1.0)
    assert one.admit(0.0) is None
    assert one.admit(1.5) == pytest.approx(2.0)  # a previous window of 1 must weigh 0
    assert one.admit(2.0) is None


def test_leaky_bucket_nginx_burst_0() -> None:
    lb = LeakyBucket(10, 1.0)  # 10 r/s, nginx's default burst=0
    assert lb.admit(0.0) is None
    assert lb.admit(0.099) == pytest.approx(0.1)
    assert lb.admit(0.1) is None
    assert lb.admit(0.15) == pytest.approx(0.2)
    assert lb.admit(0.5) is None  # a drained bucket does not bank credit
    assert lb.admit(0.55) == pytest.approx(0.6)


def test_leaky_bucket_burst_and_untouched_state_on_refusal() -> None:
    lb = LeakyBucket(10, 1.0, burst=2)
    assert [lb.admit(0.0) for _ in range(3)] == [None, None, None]  # 1 + burst at once
    state = (lb.excess, lb.last)
    assert lb.admit(0.0) == pytest.approx(0.1)
    assert lb.admit(0.05) == pytest.approx(0.1)
    assert (lb.excess, lb.last) == state
    assert lb.admit(0.1) is None
    assert lb.excess == pytest.approx(2.0)


def test_token_bucket_starts_full_with_burst() -> None:
    tb = TokenBucket(1, 1.0, burst=5)
    assert [tb.admit(0.0) for _ in range(5)] == [None] * 5
    assert tb.admit(0.0) == 1.0
    assert tb.admit(0.5) == pytest.approx(1.0)  # refusals take nothing
    assert tb.admit(1.0) is None
    assert tb.admit(1.0) == pytest.approx(2.0)
    # Refill stops at the capacity.
    assert [tb.admit(100.0) for _ in range(6)] == [None] * 5 + [101.0]
    default = TokenBucket(3, 1.0)
    assert default.capacity == 3
    assert [default.admit(0.0) for _ in range(4)] == [None] * 3 + [pytest.approx(1 / 3)]


def test_out_of_order_arrivals_are_tolerated() -> None:
    # The sandbox stamps a request on arrival and admits it after authentication.
    for name in LIMITERS:
        limiter = make_limiter(name, 2, 1.0, origin=0.0)
        assert limiter.admit(0.5) is None
        assert limiter.admit(0.4) is None or name == "leaky_bucket"
        retry = limiter.admit(0.45)
        assert retry is not None and retry >= 0.45


def test_validation() -> None:
    with pytest.raises(ValueError, match="window_log, fixed_window, sliding_counter"):
        check_limiter("gcra")
    with pytest.raises(ValueError, match="burst applies"):
        check_limiter("fixed_window", 3)
    with pytest.raises(ValueError, match=">= 0"):
        check_limiter("leaky_bucket", -1)
    with pytest.raises(ValueError, match=">= 1"):
        check_limiter("token_bucket", 0)
    with pytest.raises(TypeError):
        check_limiter("token_bucket", True)
    check_limiter("leaky_bucket", 0)
    with pytest.raises(ValueError, match="token_bucket"):
        Sandbox(limiter="nginx")
    with pytest.raises(ValueError, match="burst"):
        Sandbox(burst=5)
    with pytest.raises(ValueError):
        Sandbox(limiter="sliding_counter", burst=1)
    sb = Sandbox(limiter="leaky_bucket", burst=4)
    assert (sb.limiter, sb.burst) == ("leaky_bucket", 4)
    assert Sandbox().limiter == "window_log"


# ------------------------------------------------------------------ properties


def _bound(name: str, limit: int, period: float, burst: int | None) -> tuple[float, float]:
    """(constant, rate): accepted in any closed span d <= constant + rate * d (buckets)."""
    rate = limit / period
    if name == "leaky_bucket":
        return 1 + (burst or 0), rate
    return float(limit if burst is None else burst), rate


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[str, int, float, int | None, list[float]]:
    name = draw(st.sampled_from(LIMITERS))
    limit = draw(st.integers(1, 5))
    period = draw(st.sampled_from([0.1, 0.3, 1.0, 7.0]))
    burst = None
    if name == "leaky_bucket":
        burst = draw(st.none() | st.integers(0, 4))
    elif name == "token_bucket":
        burst = draw(st.none() | st.integers(1, 6))
    gap = st.just(0.0) | st.floats(0.0, 1.5).map(lambda f: f * period)
    gaps = draw(st.lists(gap, min_size=1, max_size=40))
    times, t = [], 1000.0
    for g in gaps:
        t += g
        times.append(t)
    return name, limit, period, burst, times


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_retry_time_is_exact_and_limits_hold(
    scenario: tuple[str, int, float, int | None, list[float]],
) -> None:
    name, limit, period, burst, times = scenario
    limiter: RateLimiter = make_limiter(name, limit, period, burst=burst, origin=0.0)
    accepted: list[float] = []
    for now in times:
        probe = copy.deepcopy(limiter)
        retry = limiter.admit(now)
        if retry is None:
            accepted.append(now)
            continue
        assert retry >= now
        # A retry at the returned time succeeds, a moment earlier it does not.
        assert copy.deepcopy(probe).admit(retry) is None
        early = retry - 1e-6 * period
        if early > now:
            assert copy.deepcopy(probe).admit(early) is not None
        # A refusal changes nothing a later request could notice.
        for later in (now, early, retry, retry + 0.5 * period):
            if later >= now:
                before = copy.deepcopy(probe).admit(later)
                after = copy.deepcopy(limiter).admit(later)
                assert (before is None) == (after is None)

    if name == "window_log":
        for i, t in enumerate(accepted):
            # The log's own test (``t > u - period``): Sandbox.max_in_window computes
            # ``u - t < period`` instead, which can differ when u - t is within an ulp of period.
            assert sum(1 for u in accepted[i:] if t > u - period) <= limit
    elif name in ("fixed_window", "sliding_counter"):
        per_window: dict[int, int] = {}
        for t in accepted:
            k = math.floor(t / period)  # the window [k * period, (k + 1) * period)
            k += (k + 1) * period <= t
            k -= k * period > t
            per_window[k] = per_window.get(k, 0) + 1
        assert max(per_window.values()) <= limit
    else:
        constant, rate = _bound(name, limit, period, burst)
        for i, t in enumerate(accepted):
            for j in range(i, len(accepted)):
                assert j - i + 1 <= constant + rate * (accepted[j] - t) + 1e-6


# ------------------------------------------------------------------ real HTTP


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.mark.parametrize(
    ("limiter", "burst", "accepted"),
    [
        ("window_log", None, 5),
        ("fixed_window", None, 5),
        ("sliding_counter", None, 5),
        ("leaky_bucket", None, 1),  # nginx's burst=0: one request per 12 s
        ("leaky_bucket", 2, 3),
        ("token_bucket", None, 5),
        ("token_bucket", 3, 3),
    ],
)
async def test_burst_over_http(
    session: aiohttp.ClientSession, limiter: str, burst: int | None, accepted: int
) -> None:
    limit, period = 5, 60.0  # nothing refills or rolls over during the test
    async with Sandbox(rate_limit=(limit, period), limiter=limiter, burst=burst) as sb:
        url = f"{sb.url}/api/v2/customers/1"
        headers = {"X-Api-Key": sb.rev23_api_key, "X-Tenant-Name": sb.rev23_tenant}
        statuses: list[int] = []
        waits: list[float] = []
        for _ in range(2 * limit):
            async with session.get(url, headers=headers) as r:
                statuses.append(r.status)
                if r.status == 429:
                    assert await r.json() == {
                        "message": "Rate limit exceeded. Wait briefly before retrying."
                    }
                    waits.append(float(r.headers["Retry-After"]))
        assert statuses == [200] * accepted + [429] * (2 * limit - accepted)
        assert all(0 < w <= 2 * period for w in waits)
        stats = sb.stats.keys["rev23"]
        assert stats.rate_limited == 2 * limit - accepted
        assert len(stats.arrivals) == accepted and stats.requests == 2 * limit
        # Each key has its own limiter.
        extra = sb.add_key("rev23")
        async with session.get(url, headers={**headers, "X-Api-Key": extra}) as r:
            assert r.status == 200
