"""The retry decision, rule by rule (DESIGN.md "Retries"), without HTTP.

Every row is one rule: an outcome, the attempt it ended, the seconds since the first
attempt, the method, and the expected answer (``None``: give up; otherwise the range the
delay must fall in and whether the attempt was throttled, i.e. not counted).
"""

from __future__ import annotations

from typing import Any

import pytest

from revclient import RetryPolicy
from revclient._retry import IDEMPOTENT, Outcome, Retry, backoff, decide
from revclient.errors import (
    ConnectError,
    ConnectTimeoutError,
    RequestTimeoutError,
    TLSError,
    TransportError,
)

POLICY = RetryPolicy(
    max_attempts=4, backoff_base=0.5, backoff_cap=8.0, max_retry_after=120, total_timeout=300
)
GET, POST = "GET", "POST"
GIVE_UP = None


def status(code: int, retry_after: float | None = None) -> Outcome:
    return Outcome(code, retry_after=retry_after)


def failed(error: type[TransportError]) -> Outcome:
    return Outcome(error=error("boom"))


def retry(lo: float, hi: float, *, throttled: bool = False) -> tuple[float, float, bool]:
    return (lo, hi, throttled)


# (rule, outcome, attempt, elapsed, method, paced, expected)
RULES: list[tuple[str, Outcome, int, float, str, bool, Any]] = [
    # -- 429: the key pauses; the attempt is not counted
    ("429 waits Retry-After", status(429, 2.0), 1, 0, GET, True, retry(2.0, 2.0, throttled=True)),
    ("429 without Retry-After", status(429), 1, 0, GET, True, retry(0, 0, throttled=True)),
    ("429 on a POST too", status(429, 1.0), 1, 0, POST, True, retry(1.0, 1.0, throttled=True)),
    ("429 past max_attempts still", status(429, 1.0), 9, 0, GET, True, retry(1, 1, throttled=True)),
    ("429 beyond max_retry_after", status(429, 121.0), 1, 0, GET, True, GIVE_UP),
    (
        "429 at max_retry_after",
        status(429, 120.0),
        1,
        0,
        GET,
        True,
        retry(120, 120, throttled=True),
    ),
    ("429 past total_timeout", status(429, 10.0), 1, 295, GET, True, GIVE_UP),
    ("429 unpaced backs off", status(429, 0.0), 1, 0, GET, False, retry(0.25, 0.5, throttled=True)),
    (
        "429 unpaced, Retry-After wins",
        status(429, 3.0),
        1,
        0,
        GET,
        False,
        retry(3, 3, throttled=True),
    ),
    ("429 unpaced beyond max", status(429, 500.0), 1, 0, GET, False, GIVE_UP),
    # -- 5xx: idempotent methods only
    ("502 GET", status(502), 1, 0, GET, True, retry(0.25, 0.5)),
    ("503 GET", status(503), 1, 0, GET, True, retry(0.25, 0.5)),
    ("504 GET", status(504), 1, 0, GET, True, retry(0.25, 0.5)),
    ("500 GET", status(500), 1, 0, GET, True, retry(0.25, 0.5)),
    ("503 PUT", status(503), 1, 0, "PUT", True, retry(0.25, 0.5)),
    ("503 DELETE", status(503), 1, 0, "DELETE", True, retry(0.25, 0.5)),
    ("503 POST never", status(503), 1, 0, POST, True, GIVE_UP),
    ("500 POST never", status(500), 1, 0, POST, True, GIVE_UP),
    ("502 PATCH never", status(502), 1, 0, "PATCH", True, GIVE_UP),
    ("501 never", status(501), 1, 0, GET, True, GIVE_UP),
    # -- other statuses: never
    ("400", status(400), 1, 0, GET, True, GIVE_UP),
    ("401 (the auth layer's)", status(401), 1, 0, GET, True, GIVE_UP),
    ("403", status(403), 1, 0, GET, True, GIVE_UP),
    ("404", status(404), 1, 0, GET, True, GIVE_UP),
    ("409", status(409), 1, 0, POST, True, GIVE_UP),
    ("422", status(422), 1, 0, POST, True, GIVE_UP),
    # -- no answer
    ("refused: POST too", failed(ConnectError), 1, 0, POST, True, retry(0.25, 0.5)),
    ("connect timeout: POST too", failed(ConnectTimeoutError), 1, 0, POST, True, retry(0.25, 0.5)),
    ("TLS: never", failed(TLSError), 1, 0, GET, True, GIVE_UP),
    ("reset: GET", failed(TransportError), 1, 0, GET, True, retry(0.25, 0.5)),
    ("reset: POST never", failed(TransportError), 1, 0, POST, True, GIVE_UP),
    ("read timeout: GET", failed(RequestTimeoutError), 1, 0, GET, True, retry(0.25, 0.5)),
    ("read timeout: POST never", failed(RequestTimeoutError), 1, 0, POST, True, GIVE_UP),
    # -- bounds: attempts and total time; exponential backoff with equal jitter
    ("second retry", status(503), 2, 0, GET, True, retry(0.5, 1.0)),
    ("third retry", status(503), 3, 0, GET, True, retry(1.0, 2.0)),
    ("attempts spent", status(503), 4, 0, GET, True, GIVE_UP),
    ("attempts spent: refused", failed(ConnectError), 4, 0, POST, True, GIVE_UP),
    ("past total_timeout", status(503), 1, 299.9, GET, True, GIVE_UP),
]


@pytest.mark.parametrize(
    ("outcome", "attempt", "elapsed", "method", "paced", "expected"),
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_rule(
    outcome: Outcome, attempt: int, elapsed: float, method: str, paced: bool, expected: Any
) -> None:
    for _ in range(20):  # the jitter is random: every draw must respect the rule
        got = decide(outcome, attempt, elapsed, method in IDEMPOTENT, POLICY, paced=paced)
        if expected is GIVE_UP:
            assert got is None
            continue
        lo, hi, throttled = expected
        assert isinstance(got, Retry)
        assert lo <= got.delay <= hi
        assert got.throttled is throttled


def test_backoff_is_capped_and_grows_for_unpaced_429s() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_cap=2.0)
    assert all(1.0 <= backoff(policy, n) <= 2.0 for n in range(3, 30))
    delays = [
        decide(status(429, 0), 1, 0, True, policy, paced=False, throttled=n) for n in range(4)
    ]
    bounds = [(0.25, 0.5), (0.5, 1.0), (1.0, 2.0), (1.0, 2.0)]
    for got, (lo, hi) in zip(delays, bounds, strict=True):
        assert got is not None and lo <= got.delay <= hi


def test_no_retries_policy_gives_up_at_once_but_429_still_waits() -> None:
    none = RetryPolicy.none()
    assert decide(status(503), 1, 0, True, none) is None
    assert decide(failed(ConnectError), 1, 0, False, none) is None
    assert decide(status(429, 0.5), 1, 0, True, none) == Retry(0.5, throttled=True)
