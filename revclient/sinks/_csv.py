"""The CSV sink: nested objects as dotted columns, the union of every record's fields."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from ..errors import ConfigurationError
from ._base import fspath
from ._files import Append, Atomic, Target
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


class Csv(Spooled):
    """CSV with a header row; records may differ in fields, so every column must be known
    before the first row.

    Records are spooled as they arrive; :meth:`finish` reads the spool twice: for the
    union of columns (in first-seen order), then for the rows. With ``append=True`` the
    existing header is kept when it covers every column, else the file is rewritten
    (atomically) with the wider header; an appended CSV cannot be resumed.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, append: bool = False) -> None:
        text = fspath(path, what="Csv")
        super().__init__(text)
        self.append = append and text not in (None, "-")

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

    def salvage(self) -> str | None:
        """Keep the records: appended to the file itself, or in ``FILE.partial``."""
        if self.append and self.records:
            self.finish()
            self.kept = self.path
            return self.kept
        return super().salvage()
