"""Memory of a streamed pull: 100,000 records written to a file as they arrive.

Peak traced memory (``tracemalloc``) while pulling 10,000 and 100,000 records into a JSONL
file; a flat profile means nothing accumulates per record (pages are dropped once
written). The sandbox runs in another process so only the client is measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import tracemalloc
from typing import Any

from _servers import rev23_client, serve
from _table import Row, render

RECORDS = 100_000


async def _pull(info: dict[str, Any], limit: int, path: str) -> tuple[int, int]:
    async with rev23_client(info, None) as rev:
        tracemalloc.start()
        count = 0
        # A local file written page by page, as a CLI pull does; blocking writes are fine here.
        with open(path, "w", encoding="utf-8") as out:  # noqa: ASYNC230
            async for page in rev.customers.list(page_size=500, concurrency=4).pages():
                for customer in page.items:
                    out.write(json.dumps(customer.to_dict(), default=str) + "\n")
                count += len(page.items)
                if count >= limit:
                    break
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return count, peak


def run() -> list[Row]:
    rows = []
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    os.close(fd)
    try:
        with serve("sandbox", "--records", str(RECORDS)) as info:
            small, small_peak = asyncio.run(_pull(info, RECORDS // 10, path))
            big, big_peak = asyncio.run(_pull(info, RECORDS, path))
        size = os.path.getsize(path)
    finally:
        os.unlink(path)
    rows.append(
        Row(
            f"peak memory pulling {big:,} records to a file ({size / 1e6:.0f} MB)",
            f"{big_peak / 2**20:.1f} MiB",
            f"{small:,} records: {small_peak / 2**20:.1f} MiB",
            big_peak / small_peak,
            "flat (~1.0)",
            big_peak / small_peak < 1.5,
        )
    )
    return rows


if __name__ == "__main__":
    print(render(run()))
