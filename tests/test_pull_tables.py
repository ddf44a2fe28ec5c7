"""Parquet and DuckDB sinks (extras ``parquet`` and ``duckdb``), read back with the real
pyarrow and duckdb after pulls from the sandbox."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from helpers import PULL_RECORDS, pull_customers, pull_revio, rev23, revio

import revclient
from revclient.sinks import DuckDB, Parquet, open_sink
from revclient.testing import Sandbox

RECORDS = PULL_RECORDS


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# ------------------------------------------------------------------------ Parquet


async def test_parquet_has_typed_columns_and_the_unknown_fields(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.parquet"
    result = await pull_customers(pull_sandbox, Parquet(out, row_group_size=50))
    table = pq.read_table(out)
    assert result.records == table.num_rows == RECORDS
    assert pq.ParquetFile(out).metadata.num_row_groups == 3
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == list(range(1, RECORDS + 1))
    first = rows[0]
    assert isinstance(first["birthdate"], date) and isinstance(first["created_at"], datetime)
    assert first["first_name"] == "Bruno"
    assert json.loads(first["extra"]) == {"loyaltyTier": "silver"}
    assert str(table.schema.field("id").type) == "int64"
    assert _names(tmp_path) == ["customers.parquet"]  # no temporary file left


async def test_parquet_decimals_and_nested_objects(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "customers.parquet"
    await pull_revio(pull_sandbox, "customers", Parquet(out))
    rows = pq.read_table(out).to_pylist()
    assert [r["customer_id"] for r in rows] == list(range(1, RECORDS + 1))
    assert isinstance(rows[0]["balance"], Decimal)
    extra = json.loads(rows[0]["extra"])
    assert extra["address"]["city"] and extra["billingCycle"] == "monthly"


def test_open_sink_chooses_them_by_extension(tmp_path: Path) -> None:
    assert type(open_sink(tmp_path / "a.parquet")) is Parquet
    assert type(open_sink(tmp_path / "a.DuckDB", table="t")) is DuckDB
    with pytest.raises(revclient.ConfigurationError, match="append"):
        open_sink(tmp_path / "a.parquet", append=True)
    assert not list(tmp_path.iterdir())  # choosing opens nothing


# ------------------------------------------------------------------------ DuckDB


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


async def test_duckdb_table_named_after_the_resource(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "psa.duckdb"
    result = await pull_revio(pull_sandbox, "contacts", DuckDB(db))
    assert result.records == RECORDS
    ids = [row[0] for row in _query(db, "SELECT contact_id FROM contacts ORDER BY contact_id")]
    assert ids == list(range(1, RECORDS + 1))
    channels = _query(
        db, "SELECT count(*) FROM contacts WHERE extra->>'preferredChannel' IS NOT NULL"
    )
    assert channels == [(RECORDS,)]  # the field no model declares, in the JSON column
    key = _query(
        db,
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = 'contacts' AND constraint_type = 'PRIMARY KEY'",
    )
    assert key == [(["contact_id"],)]


async def test_duckdb_upserts_a_second_pull(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "psa.duckdb"
    await pull_revio(pull_sandbox, "opportunities", DuckDB(db))
    async with revio(pull_sandbox, rate_limit=None) as psa:
        await psa.opportunities.update(12, customer_id=7, name="Renewal", amount="1200.00")
    second = await pull_revio(pull_sandbox, "opportunities", DuckDB(db))
    assert second.records == RECORDS
    assert _query(db, "SELECT count(*), count(DISTINCT opportunity_id) FROM opportunities") == [
        (RECORDS, RECORDS)
    ]
    assert _query(db, "SELECT name, amount FROM opportunities WHERE opportunity_id = 12") == [
        ("Renewal", Decimal("1200.000000000"))
    ]


async def test_duckdb_table_and_key_can_be_chosen(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "all.duckdb"
    await pull_customers(pull_sandbox, DuckDB(db, table="studio customers"))
    await pull_revio(
        pull_sandbox, "customers", DuckDB(db, table="billing", primary_key="customerId")
    )
    assert _query(db, 'SELECT count(*) FROM "studio customers"') == [(RECORDS,)]
    assert _query(db, "SELECT count(*) FROM billing") == [(RECORDS,)]
    # A table from an older model gains the new columns.
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE slim (id BIGINT PRIMARY KEY, first_name VARCHAR)")
    await pull_customers(pull_sandbox, DuckDB(db, table="slim"))
    assert _query(db, "SELECT count(*), count(created_at), count(extra) FROM slim") == [
        (RECORDS, RECORDS, RECORDS)
    ]
    # A table that exists without the key cannot be upserted into: said, not corrupted.
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE plain (id BIGINT)")
    with pytest.raises(revclient.ConfigurationError, match="without primary key 'id'"):
        await pull_customers(pull_sandbox, DuckDB(db, table="plain"))
    assert _query(db, "SELECT count(*) FROM plain") == [(0,)]


async def test_duckdb_keeps_the_pages_written_before_an_error(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    db = tmp_path / "customers.duckdb"
    sink = DuckDB(db)
    pull_sandbox.inject("timeout", path="/api/v2/customers", delay=0, times=3)
    pull_sandbox.inject(500, path="/api/v2/customers", times=10)
    with pytest.raises(revclient.ServerError):
        async with rev23(
            pull_sandbox, rate_limit=None, retry=revclient.RetryPolicy(max_attempts=1)
        ) as rev:
            await revclient.pull(rev.customers.list(), sink)
    assert sink.kept == str(db) and sink.records == 75
    assert _query(db, "SELECT min(id), max(id), count(*) FROM customers") == [(1, 75, 75)]


async def test_a_bad_key_or_no_records_leave_no_database(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    with pytest.raises(revclient.ConfigurationError, match="primary_key 'nope'"):
        await pull_customers(pull_sandbox, DuckDB(tmp_path / "x.duckdb", primary_key="nope"))
    async with Sandbox(records=100, latency=5, rate_limit=None) as slow:
        task = asyncio.create_task(pull_customers(slow, DuckDB(tmp_path / "y.duckdb")))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert _names(tmp_path) == []  # the database is created with the first page


async def test_not_a_duckdb_file_fails_before_any_request(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    db = tmp_path / "x.duckdb"
    db.write_text("not a database")
    with pytest.raises(revclient.ConfigurationError, match="as a DuckDB database"):
        await pull_customers(pull_sandbox, DuckDB(db))
    assert (
        pull_sandbox.stats.keys.get("rev23") is None
        or pull_sandbox.stats.keys["rev23"].requests == 0
    )
    assert db.read_text() == "not a database"


# ------------------------------------------------------------------------ missing extras

_WITHOUT = """
import sys
sys.modules[{module!r}] = None  # as if not installed
import revclient
from revclient.sinks import open_sink
try:
    open_sink({path!r})
except revclient.ConfigurationError as exc:
    print(exc)
"""


@pytest.mark.parametrize(
    ("module", "path", "extra"),
    [("pyarrow", "x.parquet", "parquet"), ("duckdb", "x.duckdb", "duckdb")],
)
def test_a_missing_extra_names_the_install(module: str, path: str, extra: str) -> None:
    code = _WITHOUT.format(module=module, path=path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"pip install 'revclient[{extra}]'" in out.stdout


async def test_float_fields_are_double_columns(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    # Project hours are floats on the wire: a DOUBLE (float64) column, not JSON text.
    await pull_revio(pull_sandbox, "projects", Parquet(tmp_path / "projects.parquet"))
    await pull_revio(pull_sandbox, "projects", DuckDB(tmp_path / "psa.duckdb"))
    table = pq.read_table(tmp_path / "projects.parquet")
    assert str(table.schema.field("budget_hours").type) == "double"
    assert isinstance(table.to_pylist()[0]["budget_hours"], float)
    with duckdb.connect(str(tmp_path / "psa.duckdb")) as db:
        kind, hours = db.execute(
            "SELECT typeof(budget_hours), budget_hours FROM projects LIMIT 1"
        ).fetchone()  # type: ignore[misc]
    assert kind == "DOUBLE" and isinstance(hours, float)
