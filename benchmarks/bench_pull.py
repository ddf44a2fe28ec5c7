"""Data pull: N pages through a rate-limited, slow server, against the rate limit's bound.

The sandbox (another process) serves 10,000 customers with a fixed latency and a strict
sliding window of LIMIT requests per PERIOD. The fastest any client can pull N pages is
set by the budget: the last of N requests cannot start before (ceil(N / LIMIT) - 1)
periods, plus one round trip. With ``concurrency`` read-ahead revclient should come
within 95 % of that bound; a sequential pull is shown for contrast (latency-bound).
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

from _servers import rev23_client, serve
from _table import Row, render

import revclient

LIMIT, PERIOD, LATENCY = 50, 1.0, 0.02
RECORDS, PAGE = 25_000, 50
PAGES = RECORDS // PAGE


async def _pull(info: dict[str, Any], concurrency: int, pages: int) -> tuple[float, int]:
    async with rev23_client(info, revclient.RateLimit(LIMIT, PERIOD)) as rev:
        started = time.monotonic()
        count = 0
        async for page in rev.customers.list(
            page_size=PAGE, concurrency=concurrency, max_pages=pages
        ).pages():
            count += len(page.items)
            if page.page is not None and page.page >= pages:
                break
        return time.monotonic() - started, count


def _bound(pages: int) -> float:
    return (math.ceil(pages / LIMIT) - 1) * PERIOD + LATENCY


def run() -> list[Row]:
    rows = []
    args = ["--limit", str(LIMIT), "--period", str(PERIOD), "--latency", str(LATENCY)]
    args += ["--records", str(RECORDS)]
    with serve("sandbox", *args) as info:
        elapsed, count = asyncio.run(_pull(info, 8, PAGES))
    bound = _bound(PAGES)
    rows.append(
        Row(
            f"pull {count:,} rows, {PAGES} pages, concurrency 8, {LATENCY * 1e3:.0f} ms latency",
            f"{elapsed:.2f} s",
            f"rate-limit bound {bound:.2f} s ({LIMIT}/{PERIOD:g} s)",
            bound / elapsed,
            ">= 0.95",
            bound / elapsed >= 0.95,
        )
    )
    # Sequential, for contrast: latency-bound, on fewer pages to keep the run short.
    seq_pages = 60
    with serve("sandbox", *args) as info:
        elapsed, count = asyncio.run(_pull(info, 1, seq_pages))
    bound = _bound(seq_pages)
    rows.append(
        Row(
            f"pull {seq_pages} pages sequentially (contrast)",
            f"{elapsed:.2f} s",
            f"rate-limit bound {bound:.2f} s",
            bound / elapsed,
            "",
        )
    )
    return rows


if __name__ == "__main__":
    print(render(run()))
