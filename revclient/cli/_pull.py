"""What ``revclient pull`` and ``revclient get`` do, without the command-line parsing.

Records come from the generated resources (``getattr(client, resource).list(...)``) and are
written by the library's pull engine (:func:`revclient.pull`) into a sink
(:mod:`revclient.sinks`); this module adds the client, the sandbox, signals and progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from ..errors import ConfigurationError
from ..sinks import record_of

if TYPE_CHECKING:
    from .._pagination import AsyncPaginator
    from .._pull import PullResult
    from ..backends import StateBackend
    from ..sinks import Sink
    from ..testing import Sandbox
    from ._progress import PullStats

__all__ = [
    "SANDBOX_DEMO",
    "Api",
    "Interrupted",
    "PullOptions",
    "enter_sandbox",
    "fetch_one",
    "list_paginator",
    "make_client",
    "run_interruptible",
    "run_pull",
    "sandbox_for_demo",
]

Api = Literal["rev23", "revio"]

#: Sandbox settings for ``--sandbox``: realistic (paged, rate limited, a little latency)
#: yet quick: 1000 records in 20 pages of 50, at most 5 requests per second, about 4 s.
SANDBOX_DEMO: dict[str, Any] = {
    "records": 1000,
    "latency": 0.02,
    "rate_limit": (5, 1.0),
}


def sandbox_for_demo() -> Sandbox:
    """The sandbox ``--sandbox`` starts in-process (see :data:`SANDBOX_DEMO`)."""
    from ..testing import Sandbox

    return Sandbox(**SANDBOX_DEMO)


async def enter_sandbox(stack: contextlib.AsyncExitStack, wanted: bool) -> Sandbox | None:
    """The ``--sandbox`` sandbox, started now and stopped with ``stack``; ``None`` unless
    ``wanted``."""
    return await stack.enter_async_context(sandbox_for_demo()) if wanted else None


def make_client(api: Api, *, sandbox: Sandbox | None, backend: StateBackend | None) -> Any:
    """A client configured from the environment, or pointed at a running ``sandbox``."""
    from .._config import RateLimit
    from ..rev23._client import AsyncRev23
    from ..revio._client import AsyncRevio

    if sandbox is None:
        if api == "rev23":
            return AsyncRev23(backend=backend)
        return AsyncRevio(backend=backend)
    # The client's limiter matches the sandbox's budget, as it would a real server's.
    limit, period = SANDBOX_DEMO["rate_limit"]
    rate = RateLimit(limit=limit, period=period)
    if api == "rev23":
        return AsyncRev23(
            sandbox.rev23_api_key,
            sandbox.rev23_tenant,
            base_url=sandbox.url,
            rate_limit=rate,
            backend=backend,
        )
    return AsyncRevio(
        sandbox.revio_api_key,
        sandbox.revio_host,
        base_url=sandbox.url,
        auth_url=sandbox.url,
        rate_limit=rate,
        backend=backend,
    )


# ---------------------------------------------------------------------------- resources


def _resources(client: Any, method: str) -> list[str]:
    """Names of the client's generated resources that have ``method``."""
    names = []
    for name in dir(client):
        if name.startswith("_"):
            continue
        with contextlib.suppress(Exception):
            value = getattr(client, name)
            if not callable(value) and callable(getattr(value, method, None)):
                names.append(name)
    return sorted(names)


def _resource(client: Any, api: Api, name: str, method: str) -> Any:
    """The resource object named ``name``, or an error listing the valid names."""
    available = _resources(client, method)
    if name not in available:
        raise ConfigurationError(
            f"unknown {api} resource {name!r} for {method}; valid: {', '.join(available)}"
        )
    return getattr(client, name)


def list_paginator(
    client: Any,
    api: Api,
    resource: str,
    *,
    page_size: int | None,
    concurrency: int | None,
    params: Mapping[str, str],
) -> AsyncPaginator[Any]:
    """The paginator of ``resource``'s ``list()`` with the command's options, in the bulk
    lane: a pull never holds up the interactive calls of other clients on its key."""
    res = _resource(client, api, resource, "list")
    kwargs: dict[str, Any] = {
        "page_size": page_size,
        "params": dict(params) or None,
        "priority": "bulk",
    }
    if concurrency is not None:
        kwargs["concurrency"] = concurrency
    paginator: AsyncPaginator[Any] = res.list(**kwargs)
    return paginator


async def fetch_one(client: Any, api: Api, resource: str, item_id: str) -> dict[str, Any]:
    """One record by id, as the server sent it."""
    res = _resource(client, api, resource, "get")
    # Ids are integers in both APIs; anything else is passed (percent-encoded) as given.
    key: int | str = int(item_id) if item_id.isdigit() else item_id
    return record_of(await res.get(key))


# ---------------------------------------------------------------------------- Ctrl-C


def run_interruptible(main: Callable[[Callable[[], int]], Any]) -> Any:
    """Run ``main(interrupted)`` on a new event loop; Ctrl-C (SIGINT) and SIGTERM cancel it
    instead of killing it.

    ``main`` receives a function giving the signal that arrived (0 for none); it should
    catch ``asyncio.CancelledError`` and finish its output when interrupted. A second
    signal while it finishes is ignored: finishing is quick, and a second cancellation
    would break it.
    """

    async def runner() -> Any:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        received: list[int] = []

        def on_signal(signum: int) -> None:
            if not received:
                task.cancel()
            received.append(signum)

        handled = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, on_signal, signum)
                handled.append(signum)
        # Without loop signal handlers (Windows, or not the main thread) asyncio.run's own
        # SIGINT handling cancels the task, and every cancellation counts as Ctrl-C.
        default = 0 if signal.SIGINT in handled else int(signal.SIGINT)
        try:
            return await main(lambda: received[0] if received else default)
        finally:
            for signum in handled:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.remove_signal_handler(signum)
                    if received:
                        # The command is finishing after an interrupt: a later signal must
                        # not cut its summary and exit code short.
                        signal.signal(signum, signal.SIG_IGN)

    return asyncio.run(runner())


# ---------------------------------------------------------------------------- pull


@attrs.frozen
class PullOptions:
    """What ``revclient pull`` was asked to do (the sink is built from ``out`` beforehand)."""

    api: Api
    resource: str
    page_size: int | None = None
    concurrency: int | None = None
    params: Mapping[str, str] = attrs.field(factory=dict)
    sandbox: bool = False
    quiet: bool = False
    #: The checkpoint kept beside the destination (``None``: stdout, a FIFO, CSV appended to).
    checkpoint: str | None = None
    resume: bool = False

    def paginator(self, client: Any) -> AsyncPaginator[Any]:
        """The list of this pull's resource on ``client``, with the command's options."""
        return list_paginator(
            client,
            self.api,
            self.resource,
            page_size=self.page_size,
            concurrency=self.concurrency,
            params=self.params,
        )


class Interrupted(Exception):
    """The pull stopped on a signal; ``records`` were kept."""

    def __init__(self, records: int, signum: int) -> None:
        super().__init__(records)
        self.records = records
        self.signum = signum


def run_pull(
    options: PullOptions, sink: Sink, stats: PullStats, say: Callable[[str], None]
) -> None:
    """Run the pull on a new event loop with a progress bar; raise :class:`Interrupted` on
    Ctrl-C or SIGTERM (the records stay), or the error that stopped it (after ``say``-ing
    where the records pulled before it were kept)."""
    from .._pull import pull
    from ..backends import default_backend
    from ._progress import CountingBackend, PullProgress, bar_wanted

    show_bar = bar_wanted(options.quiet)

    async def main(interrupted: Callable[[], int]) -> None:
        async with contextlib.AsyncExitStack() as stack:
            try:
                sb = await enter_sandbox(stack, options.sandbox)
                # Counting wraps the process-wide backend: the key's bucket stays shared.
                backend = CountingBackend(default_backend(), stats)
                client = make_client(options.api, sandbox=sb, backend=backend)
                stack.push_async_callback(client.aclose)
                stats.key_label = client.key_label
                paginator = options.paginator(client)
                stats.started = time.monotonic()
                description = f"{options.api} {options.resource}"
                with PullProgress(stats, description, enabled=show_bar) as progress:

                    def on_page(result: PullResult) -> None:
                        stats.follow(result)
                        progress.update()

                    result = await pull(
                        paginator,
                        sink,
                        checkpoint=options.checkpoint,
                        resume=options.resume,
                        on_page=on_page,
                    )
                    stats.resumed = result.resumed
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()  # let the client and the sandbox close normally
                raise Interrupted(sink.records, interrupted() or signal.SIGINT) from None
            except BaseException:
                if sink.kept is not None:
                    # Nothing lost: the records pulled before the error stay on disk.
                    say(f"kept the {sink.records:,} records pulled before the error in {sink.kept}")
                raise

    run_interruptible(main)
