"""Priority lanes: an interactive call's wait while a bulk job saturates the key.

One key, 200 requests per minute scaled ten times faster (200 per 6 s: a request every
30 ms), against the sandbox (another process, strict window). A bulk job of 100
concurrent workers keeps the key saturated; an interactive call comes every 0.25 s.
Three set-ups, interleaved and repeated:

- *one queue* (what revclient did before lanes, and every client we know of): the
  interactive calls queue behind the bulk job's;
- *lanes*: the bulk job runs with ``priority="bulk"`` and ``RateLimit(..., reserve=0.2)``;
- *bulk alone*: the same bulk job with no interactive traffic, for its share of the
  budget (the ideal is ``1 - reserve``: the reserve stays unused).

Reported: the interactive calls' wait for the budget (p50 and p99, scaled back to a
200-per-minute key), the bulk job's share of the budget, and the server's 429s.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from typing import Any

from _servers import rev23_client, serve
from _table import Row, render

import revclient

LIMIT, PERIOD = 200, 6.0
SCALE = 60.0 / PERIOD  # to a 200-per-minute key
RESERVE = 0.2
WORKERS = 100
DURATION = 2 * PERIOD
PATH = "/api/v2/customers/1"
REPEATS = 3


async def _run(info: dict[str, Any], setup: str) -> tuple[list[float], int]:
    """(interactive waits in seconds, bulk requests done) for one set-up."""
    reserve = 0.0 if setup == "one queue" else RESERVE
    priority = "interactive" if setup == "one queue" else "bulk"
    async with rev23_client(info, revclient.RateLimit(LIMIT, PERIOD, reserve=reserve)) as rev:
        bulk = rev.with_options(priority=priority)
        deadline = asyncio.get_running_loop().time() + DURATION
        done = 0
        waits: list[float] = []

        async def worker() -> None:
            nonlocal done
            loop = asyncio.get_running_loop()
            while loop.time() < deadline:
                await bulk.request("GET", PATH)
                done += loop.time() <= deadline  # what was queued at the end is not counted

        async def interactive() -> None:
            while asyncio.get_running_loop().time() < deadline - 0.25:
                await asyncio.sleep(0.25)
                answer = await rev.with_raw_response.request("GET", PATH)
                waits.append(answer.rate_limit_wait)

        jobs = [worker() for _ in range(WORKERS)]
        if setup != "bulk alone":
            jobs.append(interactive())
        await asyncio.gather(*jobs)
    return waits, done


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run() -> list[Row]:
    setups = ["one queue", "lanes", "bulk alone"]
    waits: dict[str, list[list[float]]] = {s: [] for s in setups}
    shares: dict[str, list[float]] = {s: [] for s in setups}
    throttled = 0
    for _ in range(REPEATS):
        for setup in setups:  # interleaved: one of each per round
            with serve("sandbox", "--limit", str(LIMIT), "--period", str(PERIOD), "--report") as s:
                found, done = asyncio.run(_run(s, setup))
                throttled += sum(k["rate_limited"] for k in s["report"]().values())
            waits[setup].append(found)
            shares[setup].append(done / (DURATION * LIMIT / PERIOD))
    rows = []
    for setup in ("one queue", "lanes"):
        p50 = [_p(w, 0.5) * SCALE for w in waits[setup]]
        p99 = [_p(w, 0.99) * SCALE for w in waits[setup]]
        target = "< 1 s" if setup == "lanes" else ""
        rows.append(
            Row(
                f"{setup}: interactive wait p50 / p99 (at 200/min, median of {REPEATS})",
                f"{statistics.median(p50):.2f} s / {statistics.median(p99):.2f} s",
                f"p99 spread {min(p99):.2f}-{max(p99):.2f} s",
                None,
                target,
                statistics.median(p99) < 1.0 if setup == "lanes" else None,
            )
        )
    share = statistics.median(shares["bulk alone"])
    rows.append(
        Row(
            f"bulk alone, reserve {RESERVE:g}: share of the budget ({DURATION:g} s runs)",
            f"{share * 100:.1f} %",
            f"ideal {(1 - RESERVE) * 100:.0f} %, spread "
            f"{min(shares['bulk alone']) * 100:.1f}-{max(shares['bulk alone']) * 100:.1f} %",
            share / (1 - RESERVE),
            ">= 0.95",
            share / (1 - RESERVE) >= 0.95,
        )
    )
    share = statistics.median(shares["lanes"])
    rows.append(Row("lanes: bulk share beside interactive calls", f"{share * 100:.1f} %"))
    rows.append(Row("429 answers, all runs", str(throttled), "", None, "0", throttled == 0))
    return rows


if __name__ == "__main__":
    sys.exit(print(render(run())))
