"""Sinks written whole when the pull ends (CSV needs every column for its header, Parquet
writes a footer): pages are spooled as JSON lines beside the destination, and the spool,
not the destination, is what a checkpoint points at and a resumed pull continues."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from ..errors import ConfigurationError
from ._base import Source
from ._files import is_special, open_target
from ._json import JsonLines

__all__ = ["Spooled"]


class Spooled:
    """Base of the sinks converted from a spool by :meth:`finish`.

    The spool, ``.FILE.spool.jsonl`` beside the destination (or a temporary file for stdout
    and FIFOs), holds the records as the server sent them and is kept after an interrupted
    pull, so that a resumed one can continue it; :meth:`forget` deletes it.
    """

    #: Whether the destination is written in binary (Parquet) or text (CSV).
    binary = False

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.records = 0
        self.kept: str | None = None
        self._spool: JsonLines | None = None
        self._spool_path: str | None = None

    def _in_place(self) -> bool:
        return self.path is None or self.path == "-" or is_special(self.path)

    def _begin(self, source: Source) -> None:
        """Learn what the conversion needs from the source (before the first request)."""

    def _convert(self, stream: IO[Any]) -> None:
        """Write the destination from :meth:`_spooled`."""
        raise NotImplementedError

    def start(self, source: Source) -> None:
        """Open a new spool (a stale one of an abandoned pull is replaced)."""
        self._begin(source)
        if self._in_place():
            fd, path = tempfile.mkstemp(prefix="revclient-", suffix=".spool.jsonl")
            os.close(fd)
        else:
            assert self.path is not None
            directory, name = os.path.split(os.path.abspath(self.path))
            path = os.path.join(directory, f".{name}.spool.jsonl")
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        self._spool_path = path
        self._spool = JsonLines(path, append=True)
        try:
            self._spool.start(source)
        except OSError as exc:
            # Name the file the user asked for, not its hidden spool.
            raise OSError(exc.errno, exc.strerror, self.path) from None

    def resume(self, source: Source, position: dict[str, Any]) -> None:
        """Continue the spool an interrupted pull left."""
        self._begin(source)
        file = position.get("file") if isinstance(position, dict) else None
        if not isinstance(file, str):
            raise ConfigurationError(f"not a spool position: {position!r}")
        self._spool_path = file
        self._spool = JsonLines(file, append=True)
        self._spool.resume(source, position)

    def position(self) -> dict[str, Any]:
        """Where the spool's whole pages end."""
        if self._in_place() or self._spool is None:
            raise ConfigurationError("only a file can be resumed, not stdout or a FIFO")
        return self._spool.position()

    def write(self, items: Sequence[Any]) -> None:
        """Spool one page."""
        assert self._spool is not None
        self._spool.write(items)
        self.records = self._spool.records

    def _spooled(self) -> Iterator[dict[str, Any]]:
        assert self._spool_path is not None
        with open(self._spool_path, encoding="utf-8") as spool:
            for line in spool:
                record: dict[str, Any] = json.loads(line)
                yield record

    def _emit(self, path: str | None) -> None:
        assert self._spool is not None
        self._spool.finish()  # closes it; whole pages only
        target = open_target(path, binary=self.binary)
        try:
            self._convert(target.stream)
        except BaseException:
            target.abort()
            raise
        target.commit()

    def finish(self) -> None:
        """Write the destination from every spooled record (also after an interrupt: the
        spool stays for a resumed pull until :meth:`forget`)."""
        self._emit(self.path)
        if not self._in_place():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}.partial")  # an earlier, failed run's: superseded

    def discard(self) -> None:
        """Close the spool; drop it if it holds nothing (a resumed one stays)."""
        if self._spool is None:
            return
        self._spool.discard()
        if self._spool.all_records == 0:
            self.forget()

    def salvage(self) -> str | None:
        """Write what was spooled to ``FILE.partial`` (the destination stays untouched)."""
        if self._spool is None or self._spool.all_records == 0:
            self.discard()
            return None
        if self._in_place():
            self._emit(self.path)
            return None
        self.kept = f"{self.path}.partial"
        self._emit(self.kept)
        return self.kept

    def forget(self) -> None:
        """Delete the spool: the pull completed, or will not be resumed."""
        if self._spool_path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._spool_path)
