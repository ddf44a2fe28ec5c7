"""Where :func:`revclient.pull` writes records: files and databases, chosen by extension.

``JsonLines``, ``Json`` and ``Csv`` write the records as the server sent them; ``Parquet``
(extra ``revclient[parquet]``) and ``DuckDB`` (extra ``revclient[duckdb]``) write typed
columns from the endpoint's model plus an ``extra`` JSON column. :func:`open_sink` picks
one by the file's extension. Any object with the :class:`Sink` methods works too.
"""

from __future__ import annotations

import os
from typing import Literal

from ..errors import ConfigurationError
from ._base import Resumable, Sink, Source, record_of
from ._csv import Csv, flatten
from ._duckdb import DuckDB
from ._files import is_special
from ._json import Json, JsonLines
from ._parquet import Parquet

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Csv",
    "DuckDB",
    "Format",
    "Json",
    "JsonLines",
    "Parquet",
    "Resumable",
    "Sink",
    "Source",
    "flatten",
    "format_of",
    "open_sink",
    "record_of",
]

Format = Literal["jsonl", "json", "csv", "parquet", "duckdb"]
FORMATS: tuple[Format, ...] = ("jsonl", "json", "csv", "parquet", "duckdb")

#: The format each known file extension stands for.
EXTENSIONS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".parquet": "parquet",
    ".duckdb": "duckdb",
}


def format_of(path: str | os.PathLike[str] | None) -> Format:
    """The format ``path``'s extension says: JSON lines for stdout (``None``, ``"-"``), a
    device or FIFO, or a name without extension; a :class:`ConfigurationError` listing the
    known extensions for any other (``x.parquet`` written as JSON lines would be wrong)."""
    if path is None or os.fspath(path) == "-" or is_special(os.fspath(path)):
        return "jsonl"
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if not ext:
        return "jsonl"
    if ext not in EXTENSIONS:
        raise ConfigurationError(
            f"cannot tell the format of {os.fspath(path)!r} from its extension; use "
            f"{', '.join(EXTENSIONS)} (or none for JSON lines)"
        )
    return EXTENSIONS[ext]


def open_sink(
    path: str | os.PathLike[str] | None,
    *,
    format: Format | None = None,  # the name users know from --format
    append: bool = False,
    table: str | None = None,
    primary_key: str | None = None,
) -> Sink:
    """A sink for ``path`` (``None`` or ``"-"``: stdout), its format from ``format`` or the
    extension (:func:`format_of`).

    ``append`` works with JSON lines and CSV; ``table`` and ``primary_key`` with DuckDB.
    A format whose extra is missing raises :class:`ConfigurationError` naming the pip
    install to run.
    """
    fmt = format_of(path) if format is None else format
    if fmt not in FORMATS:
        raise ConfigurationError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if append and fmt not in ("jsonl", "csv"):
        raise ConfigurationError(f"append works with jsonl or csv, not {fmt}")
    if (table is not None or primary_key is not None) and fmt != "duckdb":
        raise ConfigurationError(f"table and primary_key are for duckdb, not {fmt}")
    if fmt == "csv":
        return Csv(path, append=append)
    if fmt == "json":
        return Json(path)
    if fmt == "parquet":
        return Parquet(_file(path, fmt))
    if fmt == "duckdb":
        return DuckDB(_file(path, fmt), table=table, primary_key=primary_key)
    return JsonLines(path, append=append)


def _file(path: str | os.PathLike[str] | None, fmt: str) -> str | os.PathLike[str]:
    if path is None:
        raise ConfigurationError(f"{fmt} needs a file path, not stdout")
    return path
