"""The client's limiter against real rate limiters: nginx ``limit_req`` and HAProxy stick
tables as reverse proxies keyed on ``X-Api-Key``, and the sandbox's exact windows.

``python benchmarks/bench_real_servers.py [--repeat N]`` (about 3 minutes per repeat).
Each row offers 100 requests at once (5x the budget of 20 per 2 s) through
``AsyncRev23(..., rate_limit=RateLimit(20, 2.0, **setting))``, default settings
otherwise, for each setting in :data:`SETTINGS`. The gateway (nginx or HAProxy, started on
a free 127.0.0.1 port) sits in front of a sandbox in another process that has no limit of
its own and records the arrivals that got through. Reported: the 429s the server sent, the
exceptions raised to the caller (by type), and the budget used: ``(accepted - 1)`` over
what ``limit / period`` allows between the first and the last accepted arrival. With
``--repeat N`` the rows run interleaved N times; the median and the min-max are shown.
Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from _servers import serve
from _table import Row

import revclient
from revclient.testing._gateways import (
    Gateway,
    GatewayUnavailable,
    find_binary,
    haproxy_gateway,
    nginx_gateway,
)

LIMIT, PERIOD = 20, 2.0
TOTAL = LIMIT * 5
PATH = "/api/v2/customers/1"
# A row that has not finished by then is cut short (its requests count as errors).
ROW_TIMEOUT = 120.0

#: ``RateLimit(LIMIT, PERIOD, **kwargs)`` settings measured on every server; the first is
#: the default, which the targets apply to. Add a setting here to measure it too.
SETTINGS: list[dict[str, Any]] = [{}, {"burst": LIMIT}, {"refill": "continuous"}]

TARGET_429 = 0.02  # of the requests offered
TARGET_BUDGET = 0.90
TARGETS = "0 errors, <= 2 % of requests answered 429, >= 90 % budget used"
TARGET_EXACT_BUDGET = 0.97
TARGETS_EXACT = "0 errors, 0 429s, >= 97 % budget used"


@dataclass(frozen=True)
class Server:
    """A rate-limiting server: a gateway started in front of the sandbox, or (``gateway``
    None) the sandbox's own strict sliding window of LIMIT per PERIOD."""

    name: str
    binary: str | None = None
    gateway: Callable[[str], AbstractContextManager[Gateway]] | None = None
    limiter: str = "window_log"  # the sandbox's family when there is no gateway
    exact: bool = False  # accepts bursts: held to the stricter targets


SERVERS = [
    Server("nginx 10r/s", "nginx", lambda up: nginx_gateway(up, rate_per_s=10)),
    Server(
        "nginx 10r/s burst=20 nodelay",
        "nginx",
        lambda up: nginx_gateway(up, rate_per_s=10, burst=20, nodelay=True),
        exact=True,
    ),
    Server(
        "HAProxy http_req_rate(2s) > 20",
        "haproxy",
        lambda up: haproxy_gateway(up, limit=20, window_s=2.0),
    ),
    Server(
        "HAProxy http_req_rate(1s) > 10",
        "haproxy",
        lambda up: haproxy_gateway(up, limit=10, window_s=1.0),
    ),
    Server(f"sandbox exact sliding window {LIMIT} / {PERIOD:g} s", exact=True),
    Server(
        f"sandbox exact fixed window {LIMIT} / {PERIOD:g} s", limiter="fixed_window", exact=True
    ),
]


@dataclass
class Run:
    """One measurement of one server with one setting."""

    rejected: int  # 429s the server sent
    errors: Counter[str]  # exceptions raised to the caller, by type
    budget: float
    wall: float


@dataclass
class Result:
    """Every run of one server with one setting."""

    server: Server
    setting: dict[str, Any]
    runs: list[Run] = field(default_factory=list)
    skipped: str = ""


def setting_label(setting: dict[str, Any]) -> str:
    """``RateLimit(20, 2.0, refill='continuous')`` for ``{"refill": "continuous"}``."""
    extra = "".join(f", {k}={v!r}" for k, v in setting.items())
    return f"RateLimit({LIMIT}, {PERIOD}{extra})"


def _loopback(url: str) -> str:
    # The benchmark must never talk to anything but this machine.
    if urlsplit(url).hostname != "127.0.0.1":
        raise RuntimeError(f"not a 127.0.0.1 URL: {url}")
    return url


async def _offer(info: dict[str, Any], url: str, setting: dict[str, Any]) -> Counter[str]:
    """Offer TOTAL requests at once; the exceptions raised, by type."""
    rate_limit = revclient.RateLimit(LIMIT, PERIOD, **setting)
    async with revclient.AsyncRev23(
        info["rev23_api_key"], info["rev23_tenant"], base_url=url, rate_limit=rate_limit
    ) as rev:
        tasks = [asyncio.ensure_future(rev.request("GET", PATH)) for _ in range(TOTAL)]
        _done, pending = await asyncio.wait(tasks, timeout=ROW_TIMEOUT)
        for task in pending:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    errors: Counter[str] = Counter()
    for task, result in zip(tasks, results, strict=True):
        if task in pending:
            errors[f"unfinished after {ROW_TIMEOUT:g} s"] += 1
        elif isinstance(result, BaseException):
            errors[type(result).__name__] += 1
    return errors


def measure(server: Server, setting: dict[str, Any]) -> Run:
    """Run one row: a fresh sandbox (and gateway), TOTAL requests, the server's counts."""
    args = ["--report", "--period", str(PERIOD)]
    if server.gateway is None:
        args += ["--limit", str(LIMIT), "--limiter", server.limiter]
    with serve("sandbox", *args) as info:
        upstream = _loopback(info["url"])
        with server.gateway(upstream) if server.gateway else contextlib.nullcontext() as gw:
            url = _loopback(gw.url if gw else upstream)
            started = time.monotonic()
            errors = asyncio.run(_offer(info, url, setting))
            wall = time.monotonic() - started
            # nginx logs a request just after answering it: let the last lines land.
            time.sleep(0.2)
            gateway_429 = gw.count_429() if gw else 0
        stats = info["report"]()["rev23"]
    accepted, span = stats["accepted"], stats["last"] - stats["first"]
    budget = (accepted - 1) / (span * LIMIT / PERIOD) if accepted > 1 and span > 0 else 0.0
    return Run(gateway_429 + stats["rate_limited"], errors, budget, wall)


def measure_all(repeat: int = 1, only: str = "") -> list[Result]:
    """Every server (whose name contains ``only``) with every setting, interleaved
    ``repeat`` times."""
    servers = [s for s in SERVERS if only.lower() in s.name.lower()]
    results = [Result(s, setting) for s in servers for setting in SETTINGS]
    for result in results:
        if result.server.binary:
            try:
                find_binary(result.server.binary)
            except GatewayUnavailable as exc:
                result.skipped = f"skipped: {exc}"
    for i in range(repeat):
        for result in results:
            if result.skipped:
                continue
            run = measure(result.server, result.setting)
            result.runs.append(run)
            print(
                f"[{i + 1}/{repeat}] {result.server.name}, {setting_label(result.setting)}: "
                f"{run.rejected} 429s, {sum(run.errors.values())} errors, "
                f"budget {run.budget:.0%}, {run.wall:.1f} s",
                file=sys.stderr,
                flush=True,
            )
    return results


def _spread(values: list[float], fmt: str) -> str:
    text = format(statistics.median(values), fmt)
    if len(values) > 1:
        text += f" ({format(min(values), fmt)}-{format(max(values), fmt)})"
    return text


@dataclass
class Summary:
    """The medians of one result, formatted, and whether the targets are met."""

    rejected: str
    errors: str
    budget: str
    wall: str
    budget_value: float
    ok: bool | None


def summarize(result: Result) -> Summary:
    """Medians (with the min-max when repeated), and the targets for the default setting."""
    runs = result.runs
    rejected = [float(r.rejected) for r in runs]
    errors = [float(sum(r.errors.values())) for r in runs]
    budgets = [r.budget for r in runs]
    kinds: Counter[str] = Counter()
    for r in runs:
        kinds.update(r.errors)
    share = statistics.median(rejected) / TOTAL * 100
    rejected_text = _spread(rejected, ".0f") + f" ({share:.0f} % of requests)"
    errors_text = _spread(errors, ".0f")
    if kinds:
        per_run = ", ".join(f"{k} {n / len(runs):g}" for k, n in kinds.most_common())
        errors_text += f": {per_run}" + (" per run" if len(runs) > 1 else "")
    ok = None
    if result.setting == SETTINGS[0]:
        exact = result.server.exact
        ok = (
            statistics.median(errors) == 0
            and statistics.median(rejected) <= (0 if exact else TARGET_429 * TOTAL)
            and statistics.median(budgets) >= (TARGET_EXACT_BUDGET if exact else TARGET_BUDGET)
        )
    return Summary(
        rejected_text,
        errors_text,
        _spread([b * 100 for b in budgets], ".1f") + " %",
        _spread([r.wall for r in runs], ".1f") + " s",
        statistics.median(budgets),
        ok,
    )


def rows(results: list[Result]) -> list[Row]:
    """One :class:`Row` per server and setting, for ``benchmarks/run.py``'s table."""
    out = []
    for result in results:
        name = f"real servers: {result.server.name}, {setting_label(result.setting)}"
        if result.skipped:
            out.append(Row(name, result.skipped))
            continue
        s = summarize(result)
        out.append(
            Row(
                name,
                f"429s {s.rejected}; errors {s.errors}; budget {s.budget}",
                f"{TOTAL} requests, {LIMIT} per {PERIOD:g} s",
                s.budget_value,
                "" if s.ok is None else (TARGETS_EXACT if result.server.exact else TARGETS),
                s.ok,
            )
        )
    return out


def table(results: list[Result]) -> str:
    """A Markdown table: server, setting, 429s, errors, budget used, time, targets met."""
    lines = [
        f"{TOTAL} requests offered at once, budget {LIMIT} per {PERIOD:g} s. Targets for "
        f"{setting_label(SETTINGS[0])}: {TARGETS}; on servers that accept bursts "
        f"(nginx burst, exact windows): {TARGETS_EXACT}.",
        "",
        "| server | client settings | 429s at the server | errors raised to the caller "
        "| budget used | time | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        label = setting_label(result.setting)
        if result.skipped:
            lines.append(f"| {result.server.name} | {label} | {result.skipped} |  |  |  |  |")
            continue
        s = summarize(result)
        met = "" if s.ok is None else ("yes" if s.ok else "NO")
        lines.append(
            f"| {result.server.name} | {label} | {s.rejected} | {s.errors} | {s.budget} "
            f"| {s.wall} | {met} |"
        )
    return "\n".join(lines)


def run(repeat: int = 1) -> list[Row]:
    """The rows for ``benchmarks/run.py``."""
    return rows(measure_all(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs (default 1)")
    parser.add_argument("--only", default="", help="servers whose name contains this")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    print(table(measure_all(args.repeat, args.only)))


if __name__ == "__main__":
    main()
