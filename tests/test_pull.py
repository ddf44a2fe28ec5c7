"""revclient.pull and revclient.sinks, the library side of ``revclient pull``, against the
sandbox (Parquet and DuckDB: test_pull_tables.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from helpers import PULL_RECORDS, pull_customers, pull_revio, rev23

import revclient
from revclient.sinks import Csv, Json, JsonLines, Parquet, open_sink
from revclient.testing import Sandbox

RECORDS = PULL_RECORDS


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _ids(path: Path) -> list[int]:
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


# ------------------------------------------------------------------------ the engine


async def test_pull_writes_every_record_and_reports_each_page(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.jsonl"
    seen: list[tuple[int, int]] = []
    result = await pull_customers(
        pull_sandbox, JsonLines(out), on_page=lambda r: seen.append((r.pages, r.records))
    )
    assert _ids(out) == list(range(1, RECORDS + 1))
    assert (result.records, result.pages, result.complete) == (RECORDS, 6, True)
    assert seen == [(1, 25), (2, 50), (3, 75), (4, 100), (5, 125), (6, RECORDS)]
    assert result.elapsed > 0
    raw = json.loads(out.read_text().splitlines()[0])
    assert "loyaltyTier" in raw  # as the server sent it, unknown fields included


async def test_text_sinks_agree(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    for sink in (
        JsonLines(tmp_path / "a.jsonl"),
        Json(tmp_path / "a.json"),
        Csv(tmp_path / "a.csv"),
    ):
        await pull_revio(pull_sandbox, "contacts", sink)
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert json.loads((tmp_path / "a.json").read_text()) == lines
    csv_rows = (tmp_path / "a.csv").read_text().splitlines()
    assert len(csv_rows) == RECORDS + 1 and csv_rows[0].startswith("contactId,")


async def test_an_error_mid_pull_keeps_whole_pages_and_says_where(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.jsonl"
    out.write_text("previous good file\n")
    sink = JsonLines(out)
    pull_sandbox.inject("timeout", path="/api/v2/customers", delay=0, times=2)  # two pages pass
    pull_sandbox.inject(404, path="/api/v2/customers")
    with pytest.raises(revclient.NotFoundError):
        await pull_customers(pull_sandbox, sink)
    assert out.read_text() == "previous good file\n"  # never replaced by a failed pull
    assert sink.kept == f"{out}.partial" and sink.records == 50
    assert _ids(Path(sink.kept)) == list(range(1, 51))


async def test_a_cancelled_pull_keeps_a_valid_file(tmp_path: Path) -> None:
    out = tmp_path / "customers.json"
    three_pages = asyncio.Event()

    def on_page(result: revclient.PullResult) -> None:
        if result.pages == 3:
            three_pages.set()

    async with Sandbox(records=1000, page_size=20, latency=0.02, rate_limit=None) as sb:
        task = asyncio.create_task(pull_customers(sb, Json(out), on_page=on_page))
        await three_pages.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    rows = json.loads(out.read_text())
    assert len(rows) in (60, 80)  # whole pages: the third, or a fourth already on its way
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert _names(tmp_path) == ["customers.json"]  # no temporary file left


async def test_a_pull_cancelled_before_any_record_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "customers.jsonl"
    out.write_text("old\n")
    async with Sandbox(records=100, latency=5, rate_limit=None) as sb:
        task = asyncio.create_task(pull_customers(sb, JsonLines(out)))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert out.read_text() == "old\n"
    assert _names(tmp_path) == ["customers.jsonl"]


async def test_bad_arguments_are_configuration_errors(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    async with rev23(pull_sandbox, rate_limit=None) as rev:
        with pytest.raises(revclient.ConfigurationError, match="paginator"):
            await revclient.pull(await rev.customers.list(), JsonLines(tmp_path / "x.jsonl"))
        with pytest.raises(revclient.ConfigurationError, match="not a sink"):
            await revclient.pull(rev.customers.list(), str(tmp_path / "x.jsonl"))  # type: ignore[arg-type]
    with pytest.raises(revclient.ConfigurationError, match="expected a path"):
        JsonLines(42)  # type: ignore[arg-type]
    with pytest.raises(revclient.ConfigurationError, match="stdout"):
        Parquet("-")
    assert _names(tmp_path) == []


# ------------------------------------------------------------------------ choosing a sink


def test_open_sink_by_extension(tmp_path: Path) -> None:
    # .parquet and .duckdb (extras): test_pull_tables.py
    kinds = {"a.jsonl": JsonLines, "a.ndjson": JsonLines, "a": JsonLines, "a.JSON": Json,
             "a.csv": Csv}  # fmt: skip
    for name, kind in kinds.items():
        assert type(open_sink(tmp_path / name)) is kind
    assert type(open_sink(None)) is JsonLines
    assert type(open_sink(tmp_path / "a.txt", format="csv")) is Csv
    with pytest.raises(revclient.ConfigurationError) as info:
        open_sink(tmp_path / "a.xlsx")
    for known in (".jsonl", ".ndjson", ".json", ".csv", ".parquet", ".duckdb"):
        assert known in str(info.value)
    with pytest.raises(revclient.ConfigurationError, match="append"):
        open_sink(tmp_path / "a.parquet", append=True)
    with pytest.raises(revclient.ConfigurationError, match="duckdb"):
        open_sink(tmp_path / "a.csv", table="t")
    with pytest.raises(revclient.ConfigurationError, match="unknown format"):
        open_sink(tmp_path / "a", format="xml")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())  # choosing opens nothing
