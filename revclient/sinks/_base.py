"""What every sink shares: the :class:`Sink` protocol, the :class:`Source` it is told about,
and the life cycle of a file sink (start, write pages, finish, discard or salvage)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from ..errors import ConfigurationError
from ._files import Resumed, Target, is_special, open_target

if TYPE_CHECKING:
    from .._models import Model

__all__ = ["FileSink", "PageFile", "Resumable", "Sink", "Source", "fspath", "record_of", "require"]


@attrs.frozen
class Source:
    """What a pull reads, as a sink needs to know it before the first page.

    ``name`` is the resource (``customers``), the default table name; ``model`` the class the
    items are structured into (its fields give typed columns), ``None`` when unknown.
    ``tenant_field`` names the field every record carries its tenant's label in (a pull of
    one of several tenants, ``pull(..., tenant=)``): table sinks give it a column, and
    DuckDB makes it part of the key, so two tenants' records with one id both stay.
    """

    name: str
    model: type[Model] | None = None
    tenant_field: str | None = None


@runtime_checkable
class Sink(Protocol):
    """Where :func:`revclient.pull` writes: one page at a time, kept whole or not at all.

    ``records`` counts the records this pull has written and kept. ``kept`` names where
    :meth:`salvage` left them (``None`` when nothing was kept or there is no file).
    """

    records: int
    kept: str | None

    def start(self, source: Source) -> None:
        """Open the destination, before the first request (so a bad path fails early)."""

    def write(self, items: Sequence[Any]) -> None:
        """Write one page of items (models or mappings): all of it, or none (then raise)."""

    def finish(self) -> None:
        """Complete the destination and keep it (also after an interrupt)."""

    def discard(self) -> None:
        """Drop what this pull wrote where possible; an existing destination stays as it was."""

    def salvage(self) -> str | None:
        """After an error: keep the records written so far, and say where (or ``None``)."""


@runtime_checkable
class Resumable(Sink, Protocol):
    """A sink an interrupted pull can continue: it tells its position after each page, and
    reopens at one instead of starting afresh (every sink of this package, when it writes
    a file)."""

    def position(self) -> dict[str, Any]:
        """Where the whole pages written so far end, as JSON-able data."""

    def resume(self, source: Source, position: dict[str, Any]) -> None:
        """Reopen at ``position`` (from :meth:`position`), instead of :meth:`start`."""

    def forget(self) -> None:
        """The pull completed (or will not be resumed): drop what only a resume needs."""


def record_of(item: Any) -> dict[str, Any]:
    """The record as the server sent it (unknown fields included)."""
    if isinstance(item, Mapping):
        return dict(item)
    # Generated models keep the payload as received in ``raw``; to_dict() is the wire form.
    raw = getattr(item, "raw", None)
    if isinstance(raw, Mapping):
        return dict(raw)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        value = to_dict()
        if isinstance(value, Mapping):
            return dict(value)
    return {"value": item}


def fspath(path: str | os.PathLike[str] | None, *, what: str) -> str | None:
    """``path`` as a string (``None`` and ``"-"`` mean stdout), or a typed error."""
    if path is None:
        return None
    try:
        return os.fspath(path)
    except TypeError:
        raise ConfigurationError(f"{what}: expected a path, got {type(path).__name__}") from None


def require(module: str, extra: str, suffix: str) -> Any:
    """Import an optional dependency, or say which ``pip install`` brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigurationError(
            f"writing {suffix} files needs {module}: pip install 'revclient[{extra}]'"
        ) from None


class FileSink:
    """A sink writing one file (or stdout) through a :class:`Target`; subclasses open it in
    :meth:`_open` and close their format in :meth:`_close`."""

    def __init__(self, path: str | None, *, append: bool = False) -> None:
        self.path = path
        self.append = append
        self.records = 0
        self.kept: str | None = None
        self._target: Target | None = None

    def start(self, source: Source) -> None:
        """Open the destination (a temporary file beside a regular file)."""
        self._target = self._open()

    def _open(self) -> Target:
        return open_target(self.path, append=self.append)

    def _close(self) -> None:
        """Write what ends the format (a closing bracket, a footer)."""

    def finish(self) -> None:
        """Close the format and keep the output (also after an interrupt)."""
        try:
            self._close()
        except BaseException:
            self.discard()  # no temporary file left behind
            raise
        if self._target is not None:
            self._target.commit()

    def discard(self) -> None:
        """Drop the output of an atomic write (appended data stays)."""
        if self._target is not None:
            self._target.abort()

    def salvage(self) -> str | None:
        """Keep the records written so far: an atomic write goes to ``FILE.partial`` (the
        destination is left untouched, so a failed pull never replaces a good file); an
        appended or in-place file keeps them where they are."""
        if self.records == 0:
            self.discard()
            return None
        target = self._target
        if target is not None and target.renames:
            target.path = f"{self.path}.partial"
        self.finish()
        self.kept = target.path if target is not None else self.path
        return self.kept


class PageFile(FileSink):
    """Writes each page whole or not at all: straight to the file descriptor, and on a
    failed write (a full disk) the file is cut back to the end of the last whole page, so
    a kept file holds complete records only and ``records`` counts exactly those."""

    def __init__(self, path: str | None, *, append: bool = False) -> None:
        super().__init__(path, append=append)
        self._fd: int | None = None
        self._size = 0
        #: Bytes of whole pages (what a resumed pull keeps); the format's end is not counted.
        self._mark = 0
        self._closing = False
        #: Records an interrupted pull wrote before this one resumed it.
        self._prior = 0
        self._special = False  # a FIFO or device: written in place, never resumed

    def start(self, source: Source) -> None:
        """Open the destination and note where this pull's records begin."""
        super().start(source)
        self._opened()

    def _opened(self) -> None:
        assert self._target is not None
        try:
            self._fd = self._target.stream.fileno()
            self._size = os.fstat(self._fd).st_size  # appending: what was there stays
        except (OSError, ValueError):
            self._fd = None  # a stream without a descriptor (tests capturing stdout)
        self._mark = self._size
        file = self._target.file
        self._special = file is not None and is_special(file)

    @property
    def all_records(self) -> int:
        """Records in the file from this pull and the interrupted one it resumed."""
        return self._prior + self.records

    def forget(self) -> None:
        """Nothing to drop: the file itself is what a resumed pull continues."""

    def position(self) -> dict[str, Any]:
        """Where the whole pages end: the file holding them and its size in bytes."""
        file = self._target.file if self._target is not None else None
        if file is None or self._special:
            raise ConfigurationError("only a regular file can be resumed, not stdout or a FIFO")
        return {"file": file, "size": self._mark, "records": self.all_records}

    def resume(self, source: Source, position: dict[str, Any]) -> None:
        """Continue the file an interrupted pull left (instead of :meth:`start`)."""
        if self.path is None or self.path == "-":
            raise ConfigurationError("only a file can be resumed, not stdout")
        try:
            file, size, prior = position["file"], position["size"], position["records"]
        except (KeyError, TypeError):
            raise ConfigurationError(f"not a file position: {position!r}") from None
        self._target = Resumed(self.path, os.fspath(file), int(size))
        self._prior = int(prior)
        self._opened()

    def finish(self) -> None:
        """Close the format (not counted in the resume position) and keep the output."""
        self._closing = True
        super().finish()

    def _write(self, text: str, records: int) -> None:
        assert self._target is not None
        encoded = text.encode("utf-8")
        if self._fd is None:
            self._target.stream.write(text)
            self._target.stream.flush()
        else:
            data = memoryview(encoded)
            try:
                while data:
                    data = data[os.write(self._fd, data) :]
            except OSError:
                with contextlib.suppress(OSError):  # not a regular file: nothing to cut
                    os.ftruncate(self._fd, self._size)
                    os.lseek(self._fd, self._size, os.SEEK_SET)  # truncating leaves the offset
                raise
        self._size += len(encoded)
        self.records += records
        if not self._closing:
            self._mark = self._size
