"""JSON lines (one record per line) and JSON (one array) sinks."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from ._base import PageFile, Source, fspath, record_of

__all__ = ["Json", "JsonLines", "dumps"]


def dumps(record: Any) -> str:
    """One record as compact JSON text (non-ASCII kept; dates and decimals as strings)."""
    # default=str: a model's to_dict() may hold dates; the raw payload is plain JSON anyway.
    return json.dumps(record, ensure_ascii=False, default=str)


class JsonLines(PageFile):
    """JSON lines: one record per line, exactly as the server sent it.

    ``path`` ``None`` or ``"-"`` is stdout. A regular file is written to a temporary file
    and renamed into place on :meth:`finish`; ``append=True`` writes in place after what
    is there.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, append: bool = False) -> None:
        super().__init__(fspath(path, what="JsonLines"), append=append)

    def write(self, items: Sequence[Any]) -> None:
        """Write one page, one line per record."""
        lines = [dumps(record_of(item)) + "\n" for item in items]
        self._write("".join(lines), len(lines))


class Json(PageFile):
    """One JSON array, one record per line; the closing bracket is written by :meth:`finish`
    (also after an interrupt, so the file always parses)."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(fspath(path, what="Json"))

    def start(self, source: Source) -> None:
        """Open the destination and write the opening bracket."""
        super().start(source)
        self._write("[", 0)

    def write(self, items: Sequence[Any]) -> None:
        """Write one page of array elements."""
        parts = [",\n" + dumps(record_of(item)) for item in items]
        if parts and self._prior + self.records == 0:
            parts[0] = parts[0][1:]  # no comma before the first record
        self._write("".join(parts), len(parts))

    def _close(self) -> None:
        self._write("\n]\n" if self._prior + self.records else "]\n", 0)
