"""Import time of revclient over import time of aiohttp (fresh interpreters, median)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from _table import Row, render


def _import_time(module: str, runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run() -> list[Row]:
    base = _import_time("sys")  # interpreter start-up, subtracted from both
    aiohttp = _import_time("aiohttp") - base
    ours = _import_time("revclient") - base
    return [
        Row(
            "import time",
            f"revclient {ours * 1e3:.0f} ms",
            f"aiohttp {aiohttp * 1e3:.0f} ms",
            ours / aiohttp,
            "",
        )
    ]


if __name__ == "__main__":
    print(render(run()))
