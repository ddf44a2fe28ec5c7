"""Typed columns from a generated model, for the table sinks (Parquet, DuckDB).

Every field the spec declares becomes a column named after the model attribute
(``first_name``); fields the model does not know go, as JSON text, into one ``extra``
column, so nothing the server sent is lost. The spec has no primary-key notion: each
model declares its own id first (``id``, ``contactId``, ...), so the first field of the
spec's ``id`` type is the key.
"""

from __future__ import annotations

import functools
import json
import operator
import types
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Literal

import attrs

from .._models import Id, Model, camel, get_converter
from ..errors import ConfigurationError, ResponseDecodeError
from ._base import Source

__all__ = ["EXTRA", "Column", "Kind", "columns_of", "key_columns", "primary_key", "rows_of"]

Kind = Literal["id", "str", "int", "float", "bool", "decimal", "date", "datetime", "json", "tenant"]

#: The column holding the fields the model does not declare, as a JSON object.
EXTRA = "extra"

_SCALARS: dict[Any, Kind] = {
    Id: "id",
    str: "str",
    int: "int",
    float: "float",
    bool: "bool",
    Decimal: "decimal",
    date: "date",
    datetime: "datetime",
}


@attrs.frozen
class Column:
    """One column: the model attribute it comes from, the wire name, and its kind."""

    name: str
    wire: str
    kind: Kind


def _kind(annotation: Any) -> Kind:
    # Every field is optional (``X | None``); ``Id | None`` is ``int | str | None``.
    if isinstance(annotation, types.UnionType):
        args = [a for a in annotation.__args__ if a is not type(None)]
        annotation = functools.reduce(operator.or_, args) if args else None
    return _SCALARS.get(annotation, "json")


def columns_of(source: Source) -> list[Column]:
    """The model's fields as columns, then ``extra``; a :class:`ConfigurationError` when the
    items are not generated models (a table needs their declared fields)."""
    model = source.model
    if model is None or not (attrs.has(model) and issubclass(model, Model)):
        raise ConfigurationError(
            f"a table needs the items' model to know its columns; {source.name!r} has none"
        )
    columns = []
    for field in attrs.fields(model):
        if field.name in ("extra", "raw"):
            continue
        wire = field.metadata.get("wire", camel(field.name))
        columns.append(Column(field.name, wire, _kind(field.type)))
    tenant = source.tenant_field
    if tenant is not None:
        if any(tenant in (c.name, c.wire) for c in columns) or tenant == EXTRA:
            raise ConfigurationError(
                f"{source.name} has a field named {tenant!r}: it cannot hold the tenant too"
            )
        # First: the tenant is the outermost grouping of the rows (and of DuckDB's key).
        columns.insert(0, Column(tenant, tenant, "tenant"))
    return [*columns, Column(EXTRA, EXTRA, "json")]


def primary_key(columns: Sequence[Column], given: str | None, source: Source) -> Column:
    """The key column: ``given`` (attribute or wire name), else the model's first id field."""
    if given is not None:
        for column in columns:
            if given in (column.name, column.wire) and column.name != EXTRA:
                return column
        names = ", ".join(c.name for c in columns if c.name != EXTRA)
        raise ConfigurationError(
            f"primary_key {given!r} is not a field of {source.name}; choose one of {names}"
        )
    for column in columns:
        if column.kind == "id":
            return column
    raise ConfigurationError(f"{source.name} has no id field; pass primary_key=")


def key_columns(columns: Sequence[Column], key: Column) -> list[Column]:
    """The columns that identify a row: the tenant's (when records carry one), then ``key``."""
    return [*(c for c in columns if c.kind == "tenant"), key]


def _value(item: Any, column: Column) -> Any:
    if column.kind == "tenant":
        # The pull engine tags each item with its tenant among the unknown fields.
        return item.extra.get(column.name)
    value = getattr(item, column.name)
    if value is None:
        return None
    kind = column.kind
    if kind == "id":
        if not isinstance(value, int):
            raise ResponseDecodeError(
                f"{column.wire}: expected a numeric id for the BIGINT column, got {value!r}"
            )
        return value
    if kind == "datetime":
        # One column cannot mix offsets: aware values are stored in UTC, naive ones as sent.
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if kind == "json":
        return json.dumps(get_converter().unstructure(value), ensure_ascii=False, default=str)
    return value


def rows_of(items: Sequence[Any], columns: Sequence[Column]) -> list[list[Any]]:
    """One row of column values per item (models; ``extra`` as JSON text, or null)."""
    tagged = {c.name for c in columns if c.kind == "tenant"}
    rows = []
    for item in items:
        if not isinstance(item, Model):
            raise ConfigurationError(f"expected model items, got {type(item).__name__}")
        row = [_value(item, c) for c in columns[:-1]]
        extra = item.extra
        if tagged:
            extra = {k: v for k, v in extra.items() if k not in tagged}
        row.append(json.dumps(extra, ensure_ascii=False, default=str) if extra else None)
        rows.append(row)
    return rows
