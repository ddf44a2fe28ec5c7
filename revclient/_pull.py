"""The pull engine: every page of a paginator into a sink, kept whole whenever it stops.

``revclient pull`` is this function plus option parsing, a progress bar and exit codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any

import attrs

from ._pagination import AsyncPaginator
from .errors import ConfigurationError
from .sinks import Sink, Source

__all__ = ["PullResult", "pull"]

_SINK_METHODS = ("start", "write", "finish", "discard", "salvage")


@attrs.define
class PullResult:
    """What a pull did: ``records`` written, ``pages`` read, the ``total`` the server
    reported (if it did), and whether the pull ran to the last page (``complete``).

    :func:`pull` updates the same object after every page (``on_page`` receives it).
    """

    records: int = 0
    pages: int = 0
    total: int | None = None
    complete: bool = False
    started: float = attrs.field(factory=time.monotonic, repr=False)
    finished: float | None = attrs.field(default=None, repr=False)

    @property
    def elapsed(self) -> float:
        """Seconds from the start to the end of the pull (or to now while it runs)."""
        return (self.finished or time.monotonic()) - self.started


async def pull(
    paginator: AsyncPaginator[Any],
    sink: Sink,
    *,
    on_page: Callable[[PullResult], object] | None = None,
) -> PullResult:
    """Write every record of ``paginator`` (a generated ``list()``) into ``sink``, page by
    page, and return what was done.

    The sink is started before the first request (a bad destination fails early). Each
    page is written whole or not at all. When the pull stops early the sink keeps what
    was written: cancelled (Ctrl-C, a timeout), it is finished and ``CancelledError``
    propagates; failed, it is salvaged (a file goes to ``FILE.partial``, ``sink.kept`` says
    where) and the error propagates. ``on_page`` is called after each page is written.
    """
    if not isinstance(paginator, AsyncPaginator):
        raise ConfigurationError(
            f"pull() takes a list() paginator, e.g. rev.customers.list(); "
            f"got {type(paginator).__name__}"
        )
    missing = [name for name in _SINK_METHODS if not callable(getattr(sink, name, None))]
    if missing:
        raise ConfigurationError(
            f"{type(sink).__name__} is not a sink (no {', '.join(missing)}); "
            "see revclient.sinks.open_sink"
        )
    result = PullResult()
    sink.start(Source(paginator.resource, paginator.item_type))
    try:
        async with contextlib.aclosing(paginator.pages()) as pages:
            async for page in pages:
                sink.write(page.items)
                result.records = sink.records
                result.pages += 1
                result.total = page.total
                if on_page is not None:
                    on_page(result)
    except asyncio.CancelledError:
        # Interrupted: what was written is a valid, complete-up-to-here destination.
        if sink.records:
            sink.finish()
        else:
            sink.discard()  # nothing pulled: an existing file stays as it was
        raise
    except BaseException:
        with contextlib.suppress(Exception):
            sink.salvage()
        raise
    finally:
        result.finished = time.monotonic()
    sink.finish()
    result.complete = True
    return result
