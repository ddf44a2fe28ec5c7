"""The CSV sink: nested objects as dotted columns, the union of every record's fields; to
stdout or a FIFO, streamed page by page with the model's columns."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from ..errors import ConfigurationError
from ._base import Source, fspath, record_of
from ._columns import columns_of
from ._files import Append, Atomic, Target, open_target
from ._json import dumps
from ._spool import Spooled

__all__ = ["Csv", "flatten"]


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """One CSV row: nested objects become dotted columns (``address.city``).

    Lists are kept whole as JSON text (their length varies from record to record, so
    indexed columns would be unstable); ``null`` is an empty cell, booleans are
    ``true``/``false`` as in JSON.
    """
    row: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            row.update(flatten(value, name + "."))
        else:
            row[name] = _cell(value)
    return row


def _cell(value: Any) -> str:
    """One value as a CSV cell: empty for null, JSON's spelling of booleans, JSON text for
    objects and lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return dumps(value)


class Csv(Spooled):
    """CSV with a header row; records may differ in fields, so every column must be known
    before the first row.

    Records are spooled as they arrive; :meth:`finish` reads the spool twice: for the
    union of columns (in first-seen order), then for the rows. With ``append=True`` the
    existing header is kept when it covers every column, else the file is rewritten
    (atomically) with the wider header; an appended CSV cannot be resumed.

    To stdout, a FIFO or a device the rows are streamed instead, a page at a time (a reader
    sees them while the pull runs): the columns are the model's fields by their wire names
    (``tenant`` first in a pull with ``tenant=``), nested values as JSON text, and the
    fields the model does not know as one JSON object in ``extra``.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, append: bool = False) -> None:
        text = fspath(path, what="Csv")
        super().__init__(text)
        self.append = append and text not in (None, "-")
        #: The streamed columns (wire names, ``extra`` last); ``None`` when spooled.
        self._streamed: list[str] | None = None
        self._out: Target | None = None

    def start(self, source: Source) -> None:
        """Spool, or (to stdout or a FIFO, for a model's items) write the header now."""
        if not (self._in_place() and source.model is not None):
            super().start(source)
            return
        try:
            columns = columns_of(source)
        except ConfigurationError:
            super().start(source)  # not a generated model: its columns are unknown
            return
        self._streamed = [c.wire for c in columns]
        self._out = open_target(self.path)
        self._stream([self._streamed])

    def _stream(self, rows: Sequence[Sequence[str]]) -> None:
        assert self._out is not None
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        self._out.stream.write(buffer.getvalue())
        self._out.stream.flush()  # the reader gets every page as it comes

    def write(self, items: Sequence[Any]) -> None:
        """Spool one page, or stream its rows."""
        if self._streamed is None:
            super().write(items)
            return
        known = self._streamed[:-1]
        rows = []
        for item in items:
            record = record_of(item)
            unknown = {k: v for k, v in record.items() if k not in known}
            row = [_cell(record.get(name)) for name in known]
            rows.append([*row, dumps(unknown) if unknown else ""])
        self._stream(rows)
        self.records += len(rows)

    def position(self) -> dict[str, Any]:
        """Where the spool's whole pages end (not for a CSV appended to)."""
        if self.append:
            # Finishing appends the spool: a resumed pull would append it all again.
            raise ConfigurationError("a CSV file appended to cannot be resumed")
        return super().position()

    def _rows(self) -> Iterator[dict[str, str]]:
        return (flatten(record) for record in self._spooled())

    def _columns(self) -> list[str]:
        columns: dict[str, None] = {}
        for row in self._rows():
            for name in row:
                columns.setdefault(name)
        return list(columns)

    def _write(
        self, stream: IO[Any], columns: list[str], *, header: bool, before: Iterable[dict[str, str]]
    ) -> None:
        writer = csv.DictWriter(stream, fieldnames=columns, restval="")
        if header and columns:
            writer.writeheader()
        writer.writerows(before)
        writer.writerows(self._rows())

    def _convert(self, stream: IO[Any]) -> None:
        self._write(stream, self._columns(), header=True, before=())

    def finish(self) -> None:
        """Write the header and every row (or append them to the existing file)."""
        if self._out is not None:
            self._out.commit()
            return
        if not self.append:
            super().finish()
            return
        assert self._spool is not None and self.path is not None
        self._spool.finish()
        try:
            with open(self.path, encoding="utf-8", newline="") as existing:
                header = next(csv.reader(existing), [])
        except FileNotFoundError:
            header = []
        columns = self._columns()
        if not header:
            self._emit_to(Append(self.path), columns, header=True)
        elif all(name in header for name in columns):
            self._emit_to(Append(self.path), header, header=False)
        else:
            with open(self.path, encoding="utf-8", newline="") as existing:
                old = list(csv.DictReader(existing))
            wider = header + [name for name in columns if name not in header]
            self._emit_to(Atomic(self.path), wider, header=True, before=old)
        self.forget()

    def _emit_to(
        self,
        target: Target,
        columns: list[str],
        *,
        header: bool,
        before: Iterable[dict[str, str]] = (),
    ) -> None:
        try:
            self._write(target.stream, columns, header=header, before=before)
        except BaseException:
            target.abort()
            raise
        target.commit()

    def discard(self) -> None:
        """Stop streaming, or drop the spool (see :class:`Spooled`)."""
        if self._out is not None:
            self._out.abort()
            return
        super().discard()

    def salvage(self) -> str | None:
        """Keep the records: appended to the file itself, or in ``FILE.partial``."""
        if self._out is not None:
            self.finish()  # streamed: every row is already out
            return None
        if self.append and self.records:
            self.finish()
            self.kept = self.path
            return self.kept
        return super().salvage()
