"""Pulls into each destination: records/s and peak memory against the JSONL writer, and
the cost of a checkpoint after every page.

100,000 customers from a sandbox in another process (no rate limit, pages of 500, four
pages read ahead) go through ``revclient.pull`` into each sink, each pull in a fresh
process so that its peak resident memory (``ru_maxrss``: Python, Arrow and DuckDB
buffers alike, the interpreter and its imports included) is its own. Best of two runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

from _servers import rev23_client, serve
from _table import Row, render

RECORDS = 100_000
RUNS = 2
DESTINATIONS = [
    ("jsonl", False),
    ("jsonl", True),
    ("json", False),
    ("csv", False),
    ("parquet", False),
    ("duckdb", False),
    ("duckdb", True),
]


async def _pull(info: dict[str, Any], path: str, checkpoint: bool) -> float:
    import revclient
    from revclient.sinks import open_sink

    async with rev23_client(info, None) as rev:
        started = time.perf_counter()
        result = await revclient.pull(
            rev.customers.list(page_size=500, concurrency=4),
            open_sink(path),
            checkpoint=f"{path}.checkpoint" if checkpoint else None,
        )
        elapsed = time.perf_counter() - started
    assert result.records == RECORDS, result
    return elapsed


def _child(info: dict[str, Any], path: str, checkpoint: bool) -> None:
    elapsed = asyncio.run(_pull(info, path, checkpoint))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({"elapsed": elapsed, "peak": peak}))


def _measure(info: dict[str, Any], path: str, checkpoint: bool) -> tuple[float, int]:
    runs = []
    for _ in range(RUNS):
        args = [json.dumps(info), path, "1" if checkpoint else "0"]
        out = subprocess.run(
            [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        os.unlink(path)
    return min(r["elapsed"] for r in runs), max(r["peak"] for r in runs)


def run() -> list[Row]:
    measured: dict[tuple[str, bool], tuple[float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp, serve("sandbox", "--records", str(RECORDS)) as info:
        info = {k: v for k, v in info.items() if isinstance(v, str | int | float)}
        for n, (fmt, checkpoint) in enumerate(DESTINATIONS):
            measured[fmt, checkpoint] = _measure(info, os.path.join(tmp, f"o{n}.{fmt}"), checkpoint)
    base_time, base_peak = measured["jsonl", False]
    rows = []
    for (fmt, checkpoint), (elapsed, peak) in measured.items():
        name = f"{RECORDS:,}-record pull into {fmt}" + (" + checkpoint" if checkpoint else "")
        rows.append(
            Row(
                name,
                f"{RECORDS / elapsed:,.0f} rec/s, peak RSS {peak / 2**20:.0f} MiB",
                f"jsonl {RECORDS / base_time:,.0f} rec/s, {base_peak / 2**20:.0f} MiB",
                elapsed / base_time,
            )
        )
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(json.loads(sys.argv[2]), sys.argv[3], sys.argv[4] == "1")
    else:
        print(render(run()))
