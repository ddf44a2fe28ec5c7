"""Checkpoints and resumed pulls (revclient.pull(checkpoint=, resume=)): every record
exactly once however the first pull stopped, including a SIGKILL at the worst moment."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import PULL_RECORDS, pull_customers, rev23, revio

import revclient
from revclient.sinks import Csv, Json, JsonLines, open_sink
from revclient.testing import Sandbox

RECORDS = PULL_RECORDS
ALL = list(range(1, RECORDS + 1))


async def _pull_cancelled_after(sb: Sandbox, sink: Any, pages: int, **kw: Any) -> None:
    reached = asyncio.Event()

    def on_page(result: revclient.PullResult) -> None:
        if result.pages == pages:
            reached.set()

    sb.latency = 0.05  # the next page is still on its way when the pull is cancelled
    task = asyncio.create_task(pull_customers(sb, sink, on_page=on_page, **kw))
    await reached.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    sb.latency = 0.0


def _ids(path: Path) -> list[int]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [int(i) for i in pq.read_table(path).column("id").to_pylist()]
    text = path.read_text()
    if path.suffix == ".csv":
        return [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
    if path.suffix == ".json":
        return [r["id"] for r in json.loads(text)]
    return [json.loads(line)["id"] for line in text.splitlines()]


def _need_extra(fmt: str) -> None:
    # The dependency-floor run of .ci/run has no extras; every other run has them.
    if fmt in ("parquet", "duckdb"):
        pytest.importorskip("pyarrow" if fmt == "parquet" else "duckdb")


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet"])
async def test_resume_after_a_cancelled_pull(
    pull_sandbox: Sandbox, tmp_path: Path, fmt: str
) -> None:
    _need_extra(fmt)
    out = tmp_path / f"customers.{fmt}"
    checkpoint = tmp_path / "pull.checkpoint"
    await _pull_cancelled_after(pull_sandbox, open_sink(out), 3, checkpoint=checkpoint)
    assert _ids(out) == ALL[:75]  # a valid file of whole pages meanwhile
    saved = revclient.Checkpoint.read(checkpoint)
    assert saved is not None and (saved.records, saved.pages, saved.next_page) == (75, 3, 4)
    # Not silently ignored: a new pull refuses to start over it.
    with pytest.raises(revclient.ConfigurationError, match="resume=True"):
        await pull_customers(pull_sandbox, open_sink(out), checkpoint=checkpoint)
    result = await pull_customers(pull_sandbox, open_sink(out), checkpoint=checkpoint, resume=True)
    assert (result.resumed, result.records, result.complete) == (75, RECORDS - 75, True)
    assert _ids(out) == ALL
    assert _names(tmp_path) == [out.name]  # the checkpoint is gone once complete


async def test_resume_after_an_error_finishes_the_destination(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.jsonl"
    out.write_text("previous good file\n")
    checkpoint = tmp_path / "pull.checkpoint"
    pull_sandbox.inject("timeout", path="/api/v2/customers", delay=0, times=2)
    pull_sandbox.inject(404, path="/api/v2/customers")
    with pytest.raises(revclient.NotFoundError):
        await pull_customers(pull_sandbox, JsonLines(out), checkpoint=checkpoint)
    assert out.read_text() == "previous good file\n"
    assert _ids(Path(f"{out}.partial")) == ALL[:50]
    await pull_customers(pull_sandbox, JsonLines(out), checkpoint=checkpoint, resume=True)
    assert _ids(out) == ALL
    assert _names(tmp_path) == [out.name]


async def test_resume_with_nothing_to_resume_is_a_new_pull(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.jsonl"
    result = await pull_customers(
        pull_sandbox, JsonLines(out), checkpoint=tmp_path / "c", resume=True
    )
    assert result.resumed == 0 and _ids(out) == ALL


async def test_resume_appends_after_what_was_there(pull_sandbox: Sandbox, tmp_path: Path) -> None:
    out = tmp_path / "customers.jsonl"
    out.write_text('{"id": 0}\n')
    checkpoint = tmp_path / "c"
    await _pull_cancelled_after(pull_sandbox, JsonLines(out, append=True), 2, checkpoint=checkpoint)
    await pull_customers(
        pull_sandbox, JsonLines(out, append=True), checkpoint=checkpoint, resume=True
    )
    assert _ids(out) == [0, *ALL]


async def test_a_checkpoint_of_another_pull_is_refused(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    out = tmp_path / "customers.jsonl"
    checkpoint = tmp_path / "c"
    await _pull_cancelled_after(pull_sandbox, JsonLines(out), 2, checkpoint=checkpoint)
    other_studio = revclient.AsyncRev23(
        pull_sandbox.rev23_api_key, "another-studio", base_url=pull_sandbox.url, rate_limit=None
    )
    async with other_studio as rev:  # same list, another tenant's records
        with pytest.raises(revclient.ConfigurationError, match="another pull"):
            await revclient.pull(
                rev.customers.list(), JsonLines(out), checkpoint=checkpoint, resume=True
            )
    async with rev23(pull_sandbox, rate_limit=None) as rev:
        with pytest.raises(revclient.ConfigurationError, match="another pull"):
            await revclient.pull(
                rev.customers.list(page_size=10), JsonLines(out), checkpoint=checkpoint, resume=True
            )
    os.unlink(out)  # what the checkpoint points at is gone: said, not papered over
    with pytest.raises(revclient.ConfigurationError, match="delete the checkpoint"):
        await pull_customers(pull_sandbox, JsonLines(out), checkpoint=checkpoint, resume=True)
    checkpoint.write_text("{}")
    with pytest.raises(revclient.ConfigurationError, match="not a revclient checkpoint"):
        await pull_customers(pull_sandbox, JsonLines(out), checkpoint=checkpoint, resume=True)


class _Print:
    """A sink of its own: prints record ids; has no position, so it cannot be resumed."""

    def __init__(self) -> None:
        self.records = 0
        self.kept: str | None = None

    def start(self, source: object) -> None:
        pass

    def write(self, items: list[Any]) -> None:
        self.records += len(items)

    def finish(self) -> None:
        pass

    def discard(self) -> None:
        pass

    def salvage(self) -> str | None:
        return None


async def test_sinks_that_cannot_resume_take_no_checkpoint(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    result = await pull_customers(pull_sandbox, _Print())  # any object with the methods
    assert result.records == RECORDS
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    fifo_reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # lets the writer open it
    cannot = {
        "cannot be resumed": _Print(),
        "stdout": JsonLines(),
        "FIFO": JsonLines(fifo),
        "appended": Csv(tmp_path / "a.csv", append=True),
    }
    for message, sink in cannot.items():
        with pytest.raises(revclient.ConfigurationError, match=message):
            await pull_customers(pull_sandbox, sink, checkpoint=tmp_path / "c")
    os.close(fifo_reader)
    with pytest.raises(revclient.ConfigurationError, match="checkpoint="):
        await pull_customers(pull_sandbox, Json(tmp_path / "a.json"), resume=True)
    assert _names(tmp_path) == ["fifo"]


async def test_pages_continue_from_a_page_or_a_cursor(pull_sandbox: Sandbox) -> None:
    async with rev23(pull_sandbox, rate_limit=None) as rev:
        pages = rev.customers.list().pages(start=5, offset=100)
        ids = [int(c.id) async for page in pages for c in page.items]  # type: ignore[arg-type]
        assert ids == ALL[100:]
        with pytest.raises(revclient.ConfigurationError):
            rev.customers.list().pages(start="abc")
    async with revio(pull_sandbox, rate_limit=None) as psa:
        every = [p async for p in psa.projects.activity(5, page_size=10).pages()]
        assert len(every) == 4 and every[0].next_cursor
        rest = psa.projects.activity(5, page_size=10).pages(start=every[0].next_cursor)
        later = [a.activity_id async for page in rest for a in page.items]
        assert later == [a.activity_id for page in every[1:] for a in page.items]


# ------------------------------------------------------------------------ SIGKILL

# A pull in a child process that kills itself with SIGKILL on page 3: right after the
# page is written and before the checkpoint says so ("write"), or after ("checkpoint").
_KILLED = r"""
import asyncio, os, signal, sys
import revclient
from revclient.sinks import Csv, DuckDB, Json, JsonLines, Parquet

url, key, tenant, out, moment = sys.argv[1:]
kind = {"jsonl": JsonLines, "json": Json, "csv": Csv, "parquet": Parquet, "duckdb": DuckDB}[
    out.rpartition(".")[2]
]

class Dying(kind):
    def write(self, items):
        super().write(items)
        if moment == "write" and self.records >= 75:
            os.kill(os.getpid(), signal.SIGKILL)

def on_page(result):
    if moment == "checkpoint" and result.pages == 3:
        os.kill(os.getpid(), signal.SIGKILL)

async def main():
    async with revclient.AsyncRev23(key, tenant, base_url=url, rate_limit=None) as rev:
        await revclient.pull(rev.customers.list(), Dying(out), checkpoint=out + ".checkpoint",
                             resume=True, on_page=on_page)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def thread_sandbox() -> Iterator[Sandbox]:
    with Sandbox(records=RECORDS, page_size=25, rate_limit=None).run_in_thread() as sandbox:
        yield sandbox


def _ids_in(out: Path) -> list[int]:
    if out.suffix != ".duckdb":
        return _ids(out)
    import duckdb

    with duckdb.connect(str(out), read_only=True) as con:
        return [row[0] for row in con.execute("SELECT id FROM customers ORDER BY id").fetchall()]


@pytest.mark.parametrize("moment", ["write", "checkpoint"])
@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet", "duckdb"])
def test_sigkill_then_resume_gives_every_record_once(
    thread_sandbox: Sandbox, tmp_path: Path, fmt: str, moment: str
) -> None:
    _need_extra(fmt)
    sb = thread_sandbox
    out = str(tmp_path / f"customers.{fmt}")
    args = [sb.url, sb.rev23_api_key, sb.rev23_tenant, out]
    killed = subprocess.run([sys.executable, "-c", _KILLED, *args, moment], timeout=60, check=False)
    assert killed.returncode == -9
    saved = revclient.Checkpoint.read(out + ".checkpoint")
    assert saved is not None and saved.records == (50 if moment == "write" else 75)
    done = subprocess.run([sys.executable, "-c", _KILLED, *args, "never"], timeout=60, check=False)
    assert done.returncode == 0
    assert _ids_in(Path(out)) == ALL
    assert not os.path.exists(out + ".checkpoint")
    assert _names(tmp_path) == [Path(out).name]
