"""``revclient pull --tenants``: many tenants at once into one destination or a file each."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from revclient.cli import EXIT_AUTH, EXIT_CONFIG, EXIT_OK, main
from revclient.testing import Sandbox

RECORDS = 60


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """No rate limit and pages of 20: three tenants' pulls take milliseconds."""
    with Sandbox(records=RECORDS, page_size=20, rate_limit=None).run_in_thread() as sb:
        yield sb


@pytest.fixture
def keys(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Three tenants' keys (each its own budget on the sandbox); a and b from variables."""
    found = {label: sandbox.add_key("rev23") for label in "abc"}
    monkeypatch.setenv("KEY_A", found["a"])
    monkeypatch.setenv("KEY_B", found["b"])
    return found


def _tenants_file(tmp_path: Path, sb: Sandbox, keys: dict[str, str]) -> Path:
    common = f'tenant = "{sb.rev23_tenant}"\nbase_url = "{sb.url}"\n'
    path = tmp_path / "tenants.toml"
    path.write_text(
        f'[[tenants]]\nlabel = "a"\napi_key_env = "KEY_A"\n{common}'
        f'[[tenants]]\nlabel = "b"\napi_key_env = "KEY_B"\n{common}'
        f'[[tenants]]\nlabel = "c"\napi_key = "{keys["c"]}"\n{common}',
        encoding="utf-8",
    )
    return path


def _pull_args(tmp_path: Path, sb: Sandbox, keys: dict[str, str], out: str) -> list[str]:
    """``pull rev23 customers`` of the three tenants into ``tmp_path / out``."""
    tenants = _tenants_file(tmp_path, sb, keys)
    return ["pull", "rev23", "customers", "--tenants", str(tenants), "--out", str(tmp_path / out)]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """``revclient ARGS`` in this process: the exit code and everything printed."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    return code, out.out + out.err


def _by_tenant(rows: list[dict[str, Any]]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for row in rows:
        ids.setdefault(str(row["tenant"]), []).append(int(row["id"]))
    return {label: sorted(found) for label, found in sorted(ids.items())}


def _rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(path), read_only=True) as con:
            cursor = con.execute("SELECT * FROM customers")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    if path.suffix == ".json":
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines()]


EVERY = {label: list(range(1, RECORDS + 1)) for label in "abc"}


@pytest.mark.parametrize("out", ["all.duckdb", "all.jsonl", "all.csv", "all.parquet"])
def test_three_tenants_into_one_destination(
    sandbox: Sandbox,
    keys: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    out: str,
) -> None:
    dest = tmp_path / out
    args = _pull_args(tmp_path, sandbox, keys, out)
    code, printed = _run(capsys, *args)
    assert code == EXIT_OK, printed
    # Two tenants' id 1 both stay (DuckDB's key is tenant and id); every record once.
    assert _by_tenant(_rows(dest)) == EVERY
    for label in "abc":
        assert f"tenant {label}: pulled {RECORDS} records (3 pages)" in printed
    assert f"pulled {3 * RECORDS} records (9 pages) from 3 tenants" in printed
    assert not any(key in printed for key in keys.values())
    # No checkpoint, part or spool is left once every tenant completed.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out, "tenants.toml"])
    if out == "all.duckdb":  # pulled again: upserted, nothing twice
        assert _run(capsys, *args, "-q") == (EXIT_OK, "")
        assert _by_tenant(_rows(dest)) == EVERY


def test_one_file_per_tenant(
    sandbox: Sandbox, keys: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tenants = _tenants_file(tmp_path, sandbox, keys)
    template = str(tmp_path / "out" / "{tenant}.parquet")
    code, printed = _run(
        capsys, "pull", "rev23", "customers", "--tenants", str(tenants), "--out", template, "-q"
    )
    assert (code, printed) == (EXIT_OK, "")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "a.parquet",
        "b.parquet",
        "c.parquet",
    ]
    for label in "abc":
        rows = _rows(tmp_path / "out" / f"{label}.parquet")
        assert _by_tenant(rows) == {label: EVERY[label]}


def test_a_failing_tenant_does_not_stop_the_others_and_resume_completes_it(
    sandbox: Sandbox, keys: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "all.duckdb"
    args = _pull_args(tmp_path, sandbox, keys, "all.duckdb")
    sandbox.revoke("rev23", key=keys["b"])
    try:
        code, printed = _run(capsys, *args)
    finally:
        sandbox.restore("rev23", key=keys["b"])
    assert code == EXIT_AUTH, printed
    assert "tenant b: authentication failed: check entry 'b' of" in printed
    assert "from 2 of 3 tenants" in printed and "failed: b" in printed
    assert "continue with: revclient pull rev23 customers" in printed
    assert printed.rstrip().endswith("--resume")
    assert not any(key in printed for key in keys.values())
    assert _by_tenant(_rows(dest)) == {"a": EVERY["a"], "c": EVERY["c"]}
    # Not silently started over: the unfinished pull is reported.
    again, refused = _run(capsys, *args)
    assert again == EXIT_CONFIG and "unfinished pull" in refused and "--resume" in refused
    # --resume pulls only the tenant that failed.
    code, printed = _run(capsys, *args, "--resume")
    assert code == EXIT_OK, printed
    assert "tenant a: done in the resumed pull" in printed
    assert f"tenant b: pulled {RECORDS} records" in printed
    assert f"pulled {RECORDS} records (3 pages) from 3 tenants" in printed
    assert _by_tenant(_rows(dest)) == EVERY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.duckdb", "tenants.toml"]


def test_a_tenant_stopped_midway_resumes_from_its_checkpoint(
    sandbox: Sandbox, keys: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every tenant's second page fails once (a 404 is not retried): each keeps its first
    # page and a checkpoint, and --resume continues each from there into one JSONL file.
    dest = tmp_path / "all.jsonl"
    args = _pull_args(tmp_path, sandbox, keys, "all.jsonl")
    sandbox.inject("timeout", path="/api/v2/customers", delay=0, times=3)
    sandbox.inject(404, path="/api/v2/customers", times=3)
    code, printed = _run(capsys, *args, "--concurrency", "1")
    assert code != EXIT_OK
    kept = _rows(dest)  # the destination holds what every tenant kept
    assert 0 < len(kept) < 3 * RECORDS
    assert Counter(kept_row["tenant"] for kept_row in kept) == Counter(
        {label: 20 for label in "abc"}
    )
    code, printed = _run(capsys, *args, "--concurrency", "1", "--resume")
    assert code == EXIT_OK, printed
    assert "after the 20 of the resumed pull" in printed
    assert _by_tenant(_rows(dest)) == EVERY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "tenants.toml"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('label = "a"\ntenant = "t"', "entry 1 ('a'): needs api_key_env"),
        ('label = "a"\napi_key_env = "NOT_SET_ANYWHERE"\ntenant = "t"', "NOT_SET_ANYWHERE"),
        ('label = "a"\napi_key_env = "KEY_A"\napi_key = "k"\ntenant = "t"', "not both"),
        ('label = "a"\napi_key_env = "KEY_A"\nhost = "x.psarev.io"', "not a host"),
        ('label = "a"\napi_key_env = "KEY_A"', "needs a tenant"),
        ('label = "a/b"\napi_key_env = "KEY_A"\ntenant = "t"', "it names files"),
        ('label = "a"\napi_key_env = "KEY_A"\ntenant = "t"\nkey = "k"', "unknown field 'key'"),
        ('label = "a"\napi_key = 5\ntenant = "t"', "api_key must be a non-empty string"),
        (
            'label = "a"\napi_key_env = "KEY_A"\ntenant = "t"\nbase_url = "http://example.com"',
            "plain HTTP",
        ),
    ],
)
def test_bad_entries_are_configuration_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    entry: str,
    message: str,
) -> None:
    secret = "ca_" + "5" * 40
    monkeypatch.setenv("KEY_A", secret)
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    path = tmp_path / "tenants.toml"
    path.write_text(f"[[tenants]]\n{entry}\n", encoding="utf-8")
    out = str(tmp_path / "all.duckdb")
    code, printed = _run(capsys, "pull", "rev23", "customers", "--tenants", str(path), "-o", out)
    assert code == EXIT_CONFIG
    assert printed.count("\n") == 1 and message in printed, printed
    assert f"{path}: " in printed and secret not in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tenants.toml"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[tenants", "is not valid TOML"),
        ('label = "a"', "expected a list of [[tenants]]"),
        (
            '[[tenants]]\nlabel = "a"\napi_key = "k"\ntenant = "t"\n'
            '[[tenants]]\nlabel = "a"\napi_key = "k2"\ntenant = "t"\n',
            "entry 2 ('a'): label 'a' is used twice",
        ),
        (
            '[[tenants]]\nlabel = "a"\napi_key = "k"\ntenant = "t"\n'
            '[[tenants]]\nlabel = "b"\napi_key = "k"\ntenant = "t"\n',
            "entry 2 ('b'): uses the same key as 'a'",
        ),
    ],
)
def test_bad_tenants_files_are_configuration_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "tenants.toml"
    path.write_text(text, encoding="utf-8")
    code, printed = _run(
        capsys, "pull", "rev23", "customers", "--tenants", str(path), "-o", str(tmp_path / "x.csv")
    )
    assert code == EXIT_CONFIG and message in printed, printed


def test_a_progress_line_per_tenant_and_a_total_on_a_terminal(
    sandbox: Sandbox, keys: dict[str, str], tmp_path: Path
) -> None:
    from test_cli import _clean_env, _run_on_pty

    tenants = _tenants_file(tmp_path, sandbox, keys)
    env = _clean_env(KEY_A=keys["a"], KEY_B=keys["b"])
    args = ["pull", "rev23", "customers", "--tenants", str(tenants), "--out"]
    code, text = _run_on_pty([*args, str(tmp_path / "all.duckdb")], env)
    assert code == EXIT_OK, text
    assert "\x1b[" in text  # drawn with terminal control sequences
    for label in ("a    ", "b    ", "c    ", "total"):
        assert label in text
    assert f"{RECORDS}/{RECORDS} records, 3 pages" in text
    assert f"{3 * RECORDS}/{3 * RECORDS} records, 9 pages" in text
    assert not any(key in text for key in keys.values())


async def test_library_pulls_of_two_tenants_share_one_table(
    pull_sandbox: Sandbox, tmp_path: Path
) -> None:
    from helpers import PULL_RECORDS, pull_customers

    from revclient.sinks import DuckDB, JsonLines

    db = tmp_path / "all.duckdb"
    for label in ("north", "south"):
        result = await pull_customers(pull_sandbox, DuckDB(db), tenant=label)
        assert result.records == PULL_RECORDS
    every = list(range(1, PULL_RECORDS + 1))
    assert _by_tenant(_rows(db)) == {"north": every, "south": every}
    # In a file the label is each record's first field.
    await pull_customers(pull_sandbox, JsonLines(tmp_path / "n.jsonl"), tenant="north")
    first = json.loads((tmp_path / "n.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert list(first)[:2] == ["tenant", "id"] and first["tenant"] == "north"


def test_sandbox_tenants_need_only_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --sandbox gives every entry its own sandbox key: a demo without any credential.
    path = tmp_path / "tenants.toml"
    path.write_text('[[tenants]]\nlabel = "a"\n[[tenants]]\nlabel = "b"\n', encoding="utf-8")
    out = str(tmp_path / "{tenant}.jsonl")
    code, printed = _run(
        capsys, "pull", "rev23", "customers", "--sandbox", "--tenants", str(path), "-o", out
    )
    assert code == EXIT_OK, printed
    assert "pulled 2,000 records (40 pages) from 2 tenants" in printed
    for label in "ab":
        assert _by_tenant(_rows(tmp_path / f"{label}.jsonl")) == {label: list(range(1, 1001))}
