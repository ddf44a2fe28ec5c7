"""The pull's progress bar on stderr (rich), and the counters it shows.

Rate-limit waits are counted by wrapping the key's limiter (:class:`CountingBackend`), the
only place that knows how long a request queued for a token; the progress bar only reads
the counters.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..backends import Limiter, StateBackend, TokenStore

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from .._config import Priority, Rates
    from .._pull import PullResult

__all__ = [
    "CountingBackend",
    "PullProgress",
    "PullStats",
    "TenantsProgress",
    "bar_wanted",
    "make_console",
]

# A token granted within this long counts as "no wait" (scheduling noise, not the limit).
_WAIT_THRESHOLD = 0.005


class PullStats:
    """What a pull has done so far (records, pages, waits), read by the progress bar."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.records = 0
        self.pages = 0
        self.total: int | None = None
        #: Requests that had to queue for a rate-limit token, and the seconds they queued.
        self.waits = 0
        self.wait_seconds = 0.0
        #: 429 answers that paused the key.
        self.throttled = 0
        #: The key's printable label (never the key), once the client exists.
        self.key_label: str | None = None
        #: Records an interrupted pull had written before this one continued it.
        self.resumed = 0

    def follow(self, result: PullResult) -> None:
        """Take the counts of the engine's result (an ``on_page`` callback)."""
        self.resumed = result.resumed
        self.records = result.records
        self.pages = result.pages
        self.total = result.total

    @property
    def elapsed(self) -> float:
        """Seconds since the pull started."""
        return time.monotonic() - self.started

    @property
    def rate(self) -> float:
        """Records per second so far."""
        elapsed = self.elapsed
        return self.records / elapsed if elapsed > 0 else 0.0


class _CountingLimiter:
    """A key's limiter that records how long each acquire waited."""

    def __init__(self, inner: Limiter, stats: PullStats) -> None:
        self._inner = inner
        self._stats = stats
        self.rate: Rates = inner.rate

    async def acquire(self, priority: Priority = "interactive") -> object:
        before = time.monotonic()
        lease = await self._inner.acquire(priority)
        waited = time.monotonic() - before
        if waited >= _WAIT_THRESHOLD:
            self._stats.waits += 1
            self._stats.wait_seconds += waited
        return lease

    async def release(self, lease: object) -> None:
        await self._inner.release(lease)

    async def pause(self, delay: float | None, lease: object = None) -> None:
        self._stats.throttled += 1
        await self._inner.pause(delay, lease)


class CountingBackend:
    """A state backend that hands out the wrapped backend's objects, counting limiter waits."""

    def __init__(self, inner: StateBackend, stats: PullStats) -> None:
        self._inner = inner
        self._stats = stats

    def limiter(self, key_id: str, rate: Rates) -> Limiter:
        """The wrapped backend's limiter for the key, with waits counted."""
        return _CountingLimiter(self._inner.limiter(key_id, rate), self._stats)

    def token_store(self, key_id: str) -> TokenStore:
        """The wrapped backend's token store, unchanged."""
        return self._inner.token_store(key_id)

    async def aclose(self) -> None:
        """Close the wrapped backend."""
        await self._inner.aclose()


def bar_wanted(quiet: bool) -> bool:
    """Whether to draw progress: not ``quiet``, and stderr is a capable terminal."""
    if quiet:
        return False
    console = make_console()
    return console.is_terminal and not console.is_dumb_terminal


def make_console() -> Console:
    """A rich console on stderr (honours ``FORCE_TERMINAL``, ``NO_COLOR``, ``TERM=dumb``)."""
    from rich.console import Console

    return Console(stderr=True)


class PullProgress:
    """A live line on stderr: records (of total), pages, records/s, waits, elapsed, ETA.

    Does nothing when ``enabled`` is false (``--quiet`` or stderr is not a terminal).
    """

    def __init__(self, stats: PullStats, description: str, *, enabled: bool) -> None:
        self._stats = stats
        self._description = description
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if enabled:
            self._progress, self._task = self._build()

    def _build(self) -> tuple[Progress, TaskID]:
        # rich is imported only when a bar is shown: it is the slowest import of the CLI.
        from rich.progress import (
            BarColumn,
            Progress,
            ProgressColumn,
            SpinnerColumn,
            Task,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        stats = self._stats

        class _Counts(ProgressColumn):
            def render(self, task: Task) -> Text:
                total = f"/{stats.total:,}" if stats.total is not None else ""
                done = stats.resumed + stats.records
                return Text(f"{done:,}{total} records, {stats.pages:,} pages")

        class _Rate(ProgressColumn):
            def render(self, task: Task) -> Text:
                return Text(f"{stats.rate:,.0f} rec/s", style="progress.data.speed")

        class _Waits(ProgressColumn):
            def render(self, task: Task) -> Text:
                text = f"rate-limit waits {stats.waits} ({stats.wait_seconds:.1f}s)"
                if stats.throttled:
                    text += f", 429s {stats.throttled}"
                return Text(text, style="dim")

        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            _Counts(),
            _Rate(),
            _Waits(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=make_console(),
            refresh_per_second=8,
            transient=False,
        )
        task = progress.add_task(self._description, total=None)
        return progress, task

    def __enter__(self) -> PullProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._progress is not None:
            self.update()
            self._progress.stop()

    def update(self) -> None:
        """Redraw from the counters (called after every page)."""
        if self._progress is None or self._task is None:
            return
        stats = self._stats
        # total=None keeps the bar pulsing and the ETA blank until the server says a total.
        completed = stats.resumed + stats.records
        self._progress.update(self._task, completed=completed, total=stats.total)


def _counts(stats: PullStats) -> str:
    total = f"/{stats.total:,}" if stats.total is not None else ""
    done = stats.resumed + stats.records
    waits = f", rate-limit waits {stats.waits}" if stats.waits else ""
    return f"{done:,}{total} records, {stats.pages:,} pages, {stats.rate:,.0f} rec/s{waits}"


class TenantsProgress:
    """One live line per tenant (its label, never its key) and a total line, on stderr.

    ``tenants`` is ``(label, stats, done before)`` per tenant; ``total`` is updated with the
    sums. Does nothing visible when ``enabled`` is false; :meth:`follow` redraws until
    cancelled.
    """

    def __init__(
        self,
        tenants: Sequence[tuple[str, PullStats, bool]],
        total: PullStats,
        *,
        enabled: bool,
    ) -> None:
        self._tenants = tenants
        self._total = total
        self._progress: Progress | None = None
        self._tasks: list[TaskID] = []
        if enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(bar_width=24),
                TextColumn("{task.fields[info]}"),
                TimeElapsedColumn(),
                console=make_console(),
                refresh_per_second=8,
            )
            width = max(len("total"), *(len(label) for label, _, _ in tenants))
            for label, _, before in tenants:
                info = "done in the resumed pull" if before else ""
                self._tasks.append(
                    self._progress.add_task(f"{label:<{width}}", total=None, info=info)
                )
            self._tasks.append(self._progress.add_task(f"{'total':<{width}}", info=""))

    def __enter__(self) -> TenantsProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.update()
        if self._progress is not None:
            self._progress.stop()

    def update(self) -> None:
        """Sum the tenants into the total and redraw."""
        total = self._total
        running = [stats for _, stats, before in self._tenants if not before]
        total.records = sum(s.records for s in running)
        total.resumed = sum(s.resumed for s in running)
        total.pages = sum(s.pages for s in running)
        total.waits = sum(s.waits for s in running)
        total.wait_seconds = sum(s.wait_seconds for s in running)
        total.throttled = sum(s.throttled for s in running)
        totals = [s.total for s in running]
        total.total = None if None in totals else sum(t for t in totals if t is not None)
        if self._progress is None:
            return
        for task, (_, stats, before) in zip(self._tasks, self._tenants, strict=False):
            if not before:
                done = stats.resumed + stats.records
                self._progress.update(task, completed=done, total=stats.total, info=_counts(stats))
        self._progress.update(
            self._tasks[-1],
            completed=total.resumed + total.records,
            total=total.total,
            info=_counts(total),
        )

    async def follow(self) -> None:
        """Redraw a few times a second until cancelled."""
        while True:
            self.update()
            await asyncio.sleep(0.125)
