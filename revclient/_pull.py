"""The pull engine: every page of a paginator into a sink, kept whole whenever it stops,
and continued from a checkpoint after an interruption.

``revclient pull`` is this function plus option parsing, a progress bar and exit codes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from typing import Any

import attrs

from ._checkpoint import Checkpoint
from ._models import Model
from ._pagination import AsyncPaginator, Page
from .errors import ConfigurationError
from .sinks import Resumable, Sink, Source

__all__ = ["TENANT_FIELD", "PullResult", "pull"]

_SINK_METHODS = ("start", "write", "finish", "discard", "salvage")

#: The field (and column) holding a record's tenant label in a pull with ``tenant=``.
TENANT_FIELD = "tenant"


@attrs.define
class PullResult:
    """What a pull did: ``records`` written, ``pages`` read, the ``total`` the server
    reported (if it did), and whether the pull ran to the last page (``complete``).
    ``resumed`` counts the records an interrupted pull had written before this one
    continued it (the destination holds ``resumed + records``).

    :func:`pull` updates the same object after every page (``on_page`` receives it).
    """

    records: int = 0
    pages: int = 0
    total: int | None = None
    complete: bool = False
    resumed: int = 0
    started: float = attrs.field(factory=time.monotonic, repr=False)
    finished: float | None = attrs.field(default=None, repr=False)

    @property
    def elapsed(self) -> float:
        """Seconds from the start to the end of the pull (or to now while it runs)."""
        return (self.finished or time.monotonic()) - self.started


def _check(paginator: Any, sink: Any, checkpoint: str | None, resume: bool) -> None:
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
    if checkpoint is not None and not isinstance(sink, Resumable):
        raise ConfigurationError(
            f"{type(sink).__name__} cannot be resumed (it has no position() and resume()), "
            "so it takes no checkpoint"
        )
    if resume and checkpoint is None:
        raise ConfigurationError("resume=True needs checkpoint=PATH")


def _saved(checkpoint: str, source: dict[str, Any], resume: bool) -> Checkpoint | None:
    saved = Checkpoint.read(checkpoint)
    if saved is None:
        return None
    if not resume:
        raise ConfigurationError(
            f"{checkpoint} records an unfinished pull ({saved.records:,} records); "
            "pass resume=True to continue it, or delete it to start over"
        )
    if saved.source != source:
        raise ConfigurationError(
            f"{checkpoint} is of another pull ({saved.source.get('path')} with "
            f"{saved.source.get('params')}, page size {saved.source.get('page_size')}); "
            "delete it to start over"
        )
    return saved


async def pull(
    paginator: AsyncPaginator[Any],
    sink: Sink,
    *,
    checkpoint: str | os.PathLike[str] | None = None,
    resume: bool = False,
    on_page: Callable[[PullResult], object] | None = None,
    tenant: str | None = None,
) -> PullResult:
    """Write every record of ``paginator`` (a generated ``list()``) into ``sink``, page by
    page, and return what was done.

    The sink is started before the first request (a bad destination fails early). Each
    page is written whole or not at all. When the pull stops early the sink keeps what
    was written: cancelled (Ctrl-C, a timeout), it is finished and ``CancelledError``
    propagates; failed, it is salvaged (a file goes to ``FILE.partial``, ``sink.kept`` says
    where) and the error propagates. ``on_page`` is called after each page is written.

    ``checkpoint`` is a file the pull keeps up to date after every page (and deletes when
    it completes); the sink must be :class:`~revclient.sinks.Resumable` (every sink of
    :mod:`revclient.sinks` writing a file is). With ``resume=True`` a pull that stopped in
    any way (cancelled, failed, killed) is continued from it, and the destination ends
    with every record exactly once; without, an existing checkpoint is a
    :class:`~revclient.ConfigurationError`.

    ``tenant`` is a label written into every record as its ``tenant`` field (a column of
    Parquet and DuckDB, part of DuckDB's key), so that pulls of several tenants can share
    one table; a checkpoint of another label's pull is refused.
    """
    path = None if checkpoint is None else os.fspath(checkpoint)
    _check(paginator, sink, path, resume)
    if tenant is not None and (not isinstance(tenant, str) or not tenant):
        raise ConfigurationError(f"tenant must be a non-empty string, got {tenant!r}")
    field = None if tenant is None else TENANT_FIELD
    source = Source(paginator.resource, paginator.item_type, field)
    described = paginator.describe()
    if tenant is not None:
        described["label"] = tenant
    saved = None if path is None else _saved(path, described, resume)
    result = PullResult(resumed=saved.records if saved else 0)
    read, pages = (saved.records, saved.pages) if saved else (0, 0)

    def save(page: Page[Any] | None) -> None:
        if path is None:
            return
        assert isinstance(sink, Resumable)
        # Where to continue: the page after this one, or nothing when it was the last.
        next_page, cursor = (saved.next_page, saved.next_cursor) if saved else (None, None)
        if page is not None:
            more = page.has_next
            next_page = page.page + 1 if more and page.page is not None else None
            cursor = page.next_cursor if more and described["style"] == "cursor" else None
            if cursor is not None:
                next_page = None
        Checkpoint(described, read, pages, next_page, cursor, sink.position()).write(path)

    last: Page[Any] | None = None
    if saved is not None:
        assert isinstance(sink, Resumable)
        sink.resume(source, saved.sink)
    else:
        sink.start(source)
    try:
        if path is not None:
            assert isinstance(sink, Resumable)
            sink.position()  # a destination that cannot be resumed (stdout) fails now
        if saved is None or not saved.done:
            start = (saved.next_cursor or saved.next_page) if saved else None
            async with contextlib.aclosing(paginator.pages(start=start, offset=read)) as it:
                async for page in it:
                    sink.write(page.items if tenant is None else _tagged(page.items, tenant))
                    read += len(page.items)
                    pages += 1
                    last = page
                    save(page)  # after the page: a kill now repeats nothing
                    result.records = sink.records
                    result.pages += 1
                    result.total = page.total
                    if on_page is not None:
                        on_page(result)
    except asyncio.CancelledError:
        # Interrupted: what was written is a valid, complete-up-to-here destination.
        if sink.records:
            sink.finish()
            save(last)  # the whole pages are now in the finished file
        else:
            sink.discard()  # nothing pulled: an existing file stays as it was
        if path is None:
            _forget(sink)
        raise
    except BaseException:
        with contextlib.suppress(Exception):
            if sink.salvage() is not None:
                save(last)
        if path is None:
            with contextlib.suppress(Exception):
                _forget(sink)
        raise
    finally:
        result.finished = time.monotonic()
    sink.finish()
    if path is not None:
        Checkpoint.remove(path)
    _forget(sink)
    result.complete = True
    return result


def _forget(sink: Sink) -> None:
    # No resume will follow: a spool (CSV, Parquet) is of no more use.
    if isinstance(sink, Resumable):
        sink.forget()


def _tagged(items: list[Any], label: str) -> list[Any]:
    """``items`` with the tenant's label as their first field (in ``raw`` for the files, in
    ``extra`` for the table columns); a field of that name the server sent is replaced."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Model):
            item.extra[TENANT_FIELD] = label
            if isinstance(item.raw, dict):
                item.raw = _first(label, item.raw)
            out.append(item)
        else:
            out.append(_first(label, item if isinstance(item, dict) else {"value": item}))
    return out


def _first(label: str, record: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in record.items() if k != TENANT_FIELD}
    return {TENANT_FIELD: label, **rest}
