"""The Parquet sink (extra ``revclient[parquet]``: pyarrow): typed columns from the model.

Rows are buffered and written a row group at a time; the file is written beside the
destination and renamed into place by :meth:`Parquet.finish` (a Parquet file is only
readable once its footer is written, so an interrupted pull finishes it too).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import Any

from ..errors import ConfigurationError
from ._base import FileSink, Source, fspath, require
from ._columns import Column, columns_of, rows_of
from ._files import Target, open_target

__all__ = ["Parquet"]


def _arrow_type(pa: Any, column: Column) -> Any:
    return {
        "id": pa.int64(),
        "int": pa.int64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "decimal": pa.decimal128(38, 9),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
        "json": pa.string(),
    }[column.kind]


class Parquet(FileSink):
    """A Parquet file: one column per model field (``id``, ``first_name``, ...) plus
    ``extra``, the fields the model does not know as JSON text.

    ``row_group_size`` rows are buffered before they are written (a row group per page
    would make a slow file).
    """

    def __init__(self, path: str | os.PathLike[str], *, row_group_size: int = 65_536) -> None:
        text = fspath(path, what="Parquet")
        if text is None or text == "-":
            raise ConfigurationError("Parquet needs a file path, not stdout")
        if isinstance(row_group_size, bool) or not isinstance(row_group_size, int):
            raise ConfigurationError(f"row_group_size must be an integer, got {row_group_size!r}")
        if row_group_size < 1:
            raise ConfigurationError(f"row_group_size must be >= 1, got {row_group_size}")
        self._pa = require("pyarrow", "parquet", ".parquet")
        self._pq = require("pyarrow.parquet", "parquet", ".parquet")
        super().__init__(text)
        self.row_group_size = row_group_size
        self._columns: list[Column] = []
        self._schema: Any = None
        self._writer: Any = None
        self._buffer: list[Any] = []  # RecordBatches of whole pages
        self._buffered = 0

    def start(self, source: Source) -> None:
        """Learn the columns from the model and open the file."""
        pa = self._pa
        self._columns = columns_of(source)
        self._schema = pa.schema([(c.name, _arrow_type(pa, c)) for c in self._columns])
        super().start(source)

    def _open(self) -> Target:
        target = open_target(self.path, binary=True)
        self._writer = self._pq.ParquetWriter(target.stream, self._schema)
        return target

    def write(self, items: Sequence[Any]) -> None:
        """Convert one page to Arrow (compact, unlike Python rows); write a row group when
        ``row_group_size`` rows are buffered."""
        pa = self._pa
        rows = rows_of(items, self._columns)
        arrays = [
            pa.array([row[i] for row in rows], type=field.type)
            for i, field in enumerate(self._schema)
        ]
        self._buffer.append(pa.RecordBatch.from_arrays(arrays, schema=self._schema))
        self._buffered += len(rows)
        self.records += len(rows)
        if self._buffered >= self.row_group_size:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        batches, buffered = self._buffer, self._buffered
        self._buffer, self._buffered = [], 0
        try:
            table = self._pa.Table.from_batches(batches, schema=self._schema)
            self._writer.write_table(table, row_group_size=self.row_group_size)
        except BaseException:
            self.records -= buffered  # not on disk: not counted
            raise

    def _close(self) -> None:
        try:
            self._flush()
        finally:
            self._writer.close()

    def discard(self) -> None:
        """Drop the temporary file; an existing destination stays as it was."""
        if self._writer is not None:
            with contextlib.suppress(Exception):  # a broken writer: the file goes anyway
                self._writer.close()
        super().discard()
