"""Import time of revclient over import time of aiohttp, in fresh interpreters.

Each round starts one interpreter per program in a shuffled order and times its CPU (user
+ system: unlike wall time, barely moved by other processes on a shared machine), minus
the bare interpreter's start-up measured in the same round; the table gives the median of
the per-round ratios and their spread. Two revclient rows: ``import revclient`` alone, and
what a program pays before its first request (both clients built, which loads their
resources and models).

Every module is loaded from bytecode, as from an installed package: the children write and
read their ``.pyc`` files under a temporary ``PYTHONPYCACHEPREFIX`` (a warm-up run fills
it), whatever ``PYTHONDONTWRITEBYTECODE`` says. Without that, an editable checkout compiles
revclient's source in every run while aiohttp's bytecode comes from site-packages, and
compiling was half of revclient's measured import.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile

from _table import Row, render

ROUNDS = 21
PROGRAMS = {
    "python": "pass",
    "aiohttp": "import aiohttp",
    "revclient": "import revclient",
    "clients": (
        "import revclient\n"
        "revclient.AsyncRev23('k', 't', base_url='http://127.0.0.1:1')\n"
        "revclient.AsyncRevio('k', 'h', base_url='http://127.0.0.1:1')"
    ),
}
TARGET = 1.10


def _time(code: str, env: dict[str, str]) -> float:
    """CPU seconds (user + system) of one interpreter running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for code in PROGRAMS.values():  # warm-up: writes every module's bytecode
            _time(code, env)
        return _rows(_samples(env))


def _samples(env: dict[str, str]) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    for _ in range(ROUNDS):
        names = list(PROGRAMS)
        random.shuffle(names)
        for name in names:
            samples[name].append(_time(PROGRAMS[name], env))
    return samples


def _rows(samples: dict[str, list[float]]) -> list[Row]:

    def cost(name: str, n: int) -> float:
        return samples[name][n] - samples["python"][n]

    aiohttp_ms = statistics.median(cost("aiohttp", n) for n in range(ROUNDS)) * 1e3
    rows = []
    for name, label in (("revclient", "import revclient"), ("clients", "import + both clients")):
        ratios = sorted(cost(name, n) / cost("aiohttp", n) for n in range(ROUNDS))
        ms = statistics.median(cost(name, n) for n in range(ROUNDS)) * 1e3
        ratio = statistics.median(ratios)
        rows.append(
            Row(
                f"{label} (spread {ratios[ROUNDS // 4]:.2f}-{ratios[-1 - ROUNDS // 4]:.2f})",
                f"{ms:.0f} ms",
                f"import aiohttp {aiohttp_ms:.0f} ms",
                ratio,
                f"<= {TARGET:.2f}x" if name == "revclient" else "",
                ratio <= TARGET if name == "revclient" else None,
            )
        )
    return rows


if __name__ == "__main__":
    print(render(run()))
