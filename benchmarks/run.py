"""Run every benchmark and print one table of ratios (``python benchmarks/run.py``).

Each benchmark measures revclient and its baseline side by side in the same run, with
servers in separate processes on 127.0.0.1. ``--only NAME`` runs a subset; ``--markdown
FILE`` also writes the table (with a machine description) to FILE.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _table import Row, render

BENCHMARKS = [
    "bench_overhead",
    "bench_sync",
    "bench_limiter",
    "bench_lanes",
    "bench_windows",
    "bench_isolation",
    "bench_scale",
    "bench_pull",
    "bench_memory",
    "bench_sinks",
    "bench_redis",
    "bench_real_servers",
    "bench_import",
]


def machine() -> str:
    """One line describing where the numbers came from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import aiohttp

    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"aiohttp {aiohttp.__version__}, {platform.system()} {platform.release()}"
    )


def _ensure_peer() -> None:
    # aiolimiter is a peer for comparison only: installed here, never a dependency.
    try:
        import aiolimiter  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "aiolimiter"], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    _ensure_peer()
    rows: list[Row] = []
    started = time.monotonic()
    for name in BENCHMARKS:
        if args.only and not any(o in name for o in args.only):
            continue
        if not (Path(__file__).parent / f"{name}.py").exists():
            continue
        t0 = time.monotonic()
        module = importlib.import_module(name)
        try:
            rows.extend(module.run())
        except Exception as exc:  # one broken benchmark must not hide the others
            rows.append(Row(name, f"FAILED: {type(exc).__name__}: {exc}"))
        print(f"{name}: {time.monotonic() - t0:.1f} s", file=sys.stderr, flush=True)
    table = render(rows)
    desc = machine()
    print(f"\n{desc}; total {time.monotonic() - started:.0f} s\n")
    print(table)
    if args.markdown:
        args.markdown.write_text(f"Machine: {desc}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
