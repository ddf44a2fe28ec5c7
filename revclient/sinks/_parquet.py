"""The Parquet sink (extra ``revclient[parquet]``: pyarrow): typed columns from the model.

A Parquet file is only readable once its footer is written, so records are spooled as
they arrive and :meth:`Parquet.finish` converts the spool, a row group at a time, into a
file written beside the destination and renamed into place (also after an interrupt).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from ..errors import ConfigurationError
from ._base import Source, fspath, require
from ._columns import Column, columns_of, rows_of
from ._spool import Spooled

__all__ = ["Parquet"]

# Records structured and converted to Arrow at a time (a row group is several batches).
_BATCH = 4096


def _arrow_type(pa: Any, column: Column) -> Any:
    return {
        "id": pa.int64(),
        "int": pa.int64(),
        "float": pa.float64(),
        "str": pa.string(),
        "bool": pa.bool_(),
        "decimal": pa.decimal128(38, 9),
        "date": pa.date32(),
        "datetime": pa.timestamp("us"),
        "json": pa.string(),
        "tenant": pa.string(),
    }[column.kind]


class Parquet(Spooled):
    """A Parquet file: one column per model field (``id``, ``first_name``, ...) plus
    ``extra``, the fields the model does not know as JSON text; row groups of
    ``row_group_size`` rows."""

    binary = True

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
        self._model: Any = None
        self._columns: list[Column] = []
        self._schema: Any = None

    def _begin(self, source: Source) -> None:
        pa = self._pa
        self._columns = columns_of(source)  # no model: an error before any request
        self._model = source.model
        self._schema = pa.schema([(c.name, _arrow_type(pa, c)) for c in self._columns])

    def _batches(self) -> Iterator[Any]:
        pa = self._pa
        records = self._spooled()
        while chunk := list(islice(records, _BATCH)):
            rows = rows_of([self._model.from_dict(r) for r in chunk], self._columns)
            arrays = [
                pa.array([row[i] for row in rows], type=field.type)
                for i, field in enumerate(self._schema)
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=self._schema)

    def _convert(self, stream: IO[Any]) -> None:
        writer = self._pq.ParquetWriter(stream, self._schema)
        try:
            group: list[Any] = []
            size = 0
            for batch in self._batches():
                group.append(batch)
                size += batch.num_rows
                if size >= self.row_group_size:
                    self._write_group(writer, group)
                    group, size = [], 0
            self._write_group(writer, group)
        finally:
            writer.close()

    def _write_group(self, writer: Any, batches: list[Any]) -> None:
        if batches:
            table = self._pa.Table.from_batches(batches, schema=self._schema)
            writer.write_table(table, row_group_size=self.row_group_size)
