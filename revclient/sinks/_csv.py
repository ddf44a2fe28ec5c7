"""The CSV sink: nested objects as dotted columns, the union of every record's fields."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from ._base import FileSink, Source, fspath, record_of
from ._files import Append, Atomic, Target, open_target
from ._json import dumps

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
        elif value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        elif isinstance(value, str):
            row[name] = value
        elif isinstance(value, int | float):
            row[name] = str(value)
        else:
            row[name] = dumps(value)
    return row


class Csv(FileSink):
    """CSV with a header row; records may differ in fields, so every column must be known
    before the first row.

    Rows are spooled (flattened, as JSON lines) to an anonymous temporary file while the
    union of columns grows in first-seen order; :meth:`finish` writes header and rows.
    With ``append=True`` the existing header is kept when it covers every column, else the
    file is rewritten (atomically) with the wider header.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, append: bool = False) -> None:
        text = fspath(path, what="Csv")
        super().__init__(text, append=append and text not in (None, "-"))
        self._columns: dict[str, None] = {}
        self._spool: IO[str] | None = None

    def start(self, source: Source) -> None:
        """Open the spool, and (unless appending) the destination, so a bad path fails now."""
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        if not self.append:
            self._target = open_target(self.path)

    def write(self, items: Sequence[Any]) -> None:
        """Spool one page of flattened rows."""
        assert self._spool is not None
        rows = [flatten(record_of(item)) for item in items]
        self._spool.write("".join(dumps(row) + "\n" for row in rows))
        for row in rows:
            for name in row:
                self._columns.setdefault(name)
        self.records += len(rows)

    def _rows(self) -> Iterable[dict[str, str]]:
        assert self._spool is not None
        self._spool.seek(0)
        for line in self._spool:
            row: dict[str, str] = json.loads(line)
            yield row

    def finish(self) -> None:
        """Write the header and every spooled row, and keep the file."""
        try:
            if self._target is not None:
                self._emit(self._target, list(self._columns), header=True)
            else:
                self._finish_append()
        finally:
            if self._spool is not None:
                self._spool.close()

    def _emit(
        self,
        target: Target,
        columns: list[str],
        *,
        header: bool,
        before: Iterable[dict[str, str]] = (),
    ) -> None:
        try:
            writer = csv.DictWriter(target.stream, fieldnames=columns, restval="")
            if header and columns:
                writer.writeheader()
            writer.writerows(before)
            writer.writerows(self._rows())
        except BaseException:
            target.abort()
            raise
        target.commit()

    def _finish_append(self) -> None:
        assert self.path is not None
        try:
            with open(self.path, encoding="utf-8", newline="") as existing:
                header = next(csv.reader(existing), [])
        except FileNotFoundError:
            header = []
        if not header:
            self._emit(Append(self.path), list(self._columns), header=True)
        elif all(name in header for name in self._columns):
            self._emit(Append(self.path), header, header=False)
        else:
            with open(self.path, encoding="utf-8", newline="") as existing:
                old = list(csv.DictReader(existing))
            wider = header + [name for name in self._columns if name not in header]
            self._emit(Atomic(self.path), wider, header=True, before=old)

    def discard(self) -> None:
        """Drop the spool and any temporary file; an existing file stays as it was."""
        if self._spool is not None:
            self._spool.close()
        super().discard()
