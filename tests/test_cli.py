"""The ``revclient`` console script, run as a subprocess against the sandbox."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import random
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sandbox_process import sandbox_process, sandbox_vars

from revclient.cli import (
    EXIT_API,
    EXIT_AUTH,
    EXIT_CONFIG,
    EXIT_INTERRUPTED,
    EXIT_NETWORK,
    EXIT_PERMISSION,
    EXIT_RATE_LIMITED,
    EXIT_TERMINATED,
    EXIT_USAGE,
)
from revclient.sinks import flatten
from revclient.testing import Sandbox

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 120
BAD_REV23_KEY = "ca_0123456789abcdef0123456789abcdef"


def _script() -> str:
    beside = Path(sys.executable).with_name("revclient")
    found = str(beside) if beside.exists() else shutil.which("revclient")
    assert found, "the revclient console script is not installed: pip install -e '.[cli]'"
    return found


SCRIPT = _script()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REV23_", "REVIO_"))}
    for name in ("FORCE_TERMINAL", "TTY_COMPATIBLE", "NO_COLOR"):
        env.pop(name, None)
    env.update(extra)
    return env


def _sandbox_env(sb: Sandbox) -> dict[str, str]:
    return _clean_env(**sandbox_vars(sb))


def run(
    *args: str, env: Mapping[str, str], cwd: Path | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox for the module: no rate limit, small pages, so pulls take milliseconds."""
    with Sandbox(records=RECORDS, page_size=25, rate_limit=None).run_in_thread() as sb:
        yield sb


@pytest.fixture
def env(sandbox: Sandbox) -> dict[str, str]:
    return _sandbox_env(sandbox)


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# ------------------------------------------------------------------------ README


def test_readme_first_command_works_on_a_fresh_machine(tmp_path: Path) -> None:
    command = "revclient pull rev23 customers --sandbox --out customers.jsonl"
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    started = time.monotonic()
    # No credentials at all in the environment: --sandbox needs none.
    result = run(*command.split()[1:], env=_clean_env(), cwd=tmp_path)
    duration = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    rows = _jsonl((tmp_path / "customers.jsonl").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == list(range(1, 1001))
    assert result.stdout == ""
    assert "pulled 1,000 records (20 pages) from rev23 customers" in result.stderr
    assert "Traceback" not in result.stderr
    assert duration < 15
    assert not list(tmp_path.glob(".*.part"))


# ------------------------------------------------------------------------ formats


def test_jsonl_to_stdout_keeps_every_field(env: dict[str, str]) -> None:
    result = run("pull", "rev23", "customers", env=env)
    assert result.returncode == 0, result.stderr
    rows = _jsonl(result.stdout)
    assert [r["id"] for r in rows] == list(range(1, RECORDS + 1))
    # A field no model declares still comes through as the server sent it.
    assert all("loyaltyTier" in r for r in rows)
    assert result.stderr.count("\n") == 1 and "pulled 120 records (5 pages)" in result.stderr


def test_formats_agree(env: dict[str, str], tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "json"):
        out = tmp_path / f"customers.{fmt}"
        result = run("pull", "revio", "customers", "--out", str(out), "--quiet", env=env)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    lines = _jsonl((tmp_path / "customers.jsonl").read_text(encoding="utf-8"))
    array = json.loads((tmp_path / "customers.json").read_text(encoding="utf-8"))
    assert array == lines
    assert [r["customerId"] for r in lines] == list(range(1, RECORDS + 1))
    with open(tmp_path / "customers.csv", encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert "address.city" in table[0]  # nested objects become dotted columns
    assert table == [{**dict.fromkeys(table[0], ""), **flatten(r)} for r in lines]


def test_parquet_and_duckdb(env: dict[str, str], tmp_path: Path) -> None:
    jsonl = run("pull", "revio", "contacts", "-q", env=env)
    expected = _jsonl(jsonl.stdout)
    parquet = tmp_path / "contacts.parquet"
    result = run("pull", "revio", "contacts", "--out", str(parquet), env=env)
    assert result.returncode == 0, result.stderr
    assert f"pulled {RECORDS} records (5 pages) from revio contacts" in result.stderr
    rows = _read_back(parquet)
    assert [r["contact_id"] for r in rows] == [r["contactId"] for r in expected]
    assert [json.loads(r["extra"]) for r in rows] == [
        {"preferredChannel": r["preferredChannel"]} for r in expected
    ]
    db = tmp_path / "psa.duckdb"
    for _ in range(2):  # the second pull upserts: no duplicates
        result = run("pull", "revio", "contacts", "-q", "--out", str(db), env=env)
        assert result.returncode == 0, result.stderr
    result = run("pull", "rev23", "customers", "-q", "--out", str(db), "--table", "studio",
                 env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        counts = con.execute(
            "SELECT (SELECT count(DISTINCT contact_id) FROM contacts), "
            "(SELECT count(*) FROM contacts), (SELECT count(*) FROM studio)"
        ).fetchall()
    assert counts == [(RECORDS, RECORDS, RECORDS)]


_WITHOUT = r"""
import sys
sys.modules[sys.argv[1]] = None  # as if the extra were not installed
from revclient.cli import main
main(sys.argv[2:])
"""


@pytest.mark.parametrize(("module", "ext"), [("pyarrow", "parquet"), ("duckdb", "duckdb")])
def test_a_missing_extra_is_a_configuration_error(
    env: dict[str, str], tmp_path: Path, module: str, ext: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _WITHOUT, module, "pull", "rev23", "customers",
         "--out", str(tmp_path / f"x.{ext}")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == EXIT_CONFIG
    assert f"pip install 'revclient[{ext}]'" in _one_line(result)
    assert not list(tmp_path.iterdir())


def test_explicit_format_page_size_and_params(env: dict[str, str]) -> None:
    result = run(
        "pull", "revio", "contacts", "-f", "json", "--page-size", "7", "-p", "x=1", env=env
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == RECORDS
    assert "(18 pages)" in result.stderr


def test_append(env: dict[str, str], tmp_path: Path) -> None:
    for name in ("a.jsonl", "a.csv"):
        out = str(tmp_path / name)
        for _ in range(2):
            result = run("pull", "rev23", "customers", "-o", out, "--append", "-q", env=env)
            assert result.returncode == 0, result.stderr
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 2 * RECORDS
    with open(tmp_path / "a.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["id"]) for r in rows] == 2 * list(range(1, RECORDS + 1))


def test_get_prints_one_record(env: dict[str, str]) -> None:
    result = run("get", "rev23", "customers", "7", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == 7
    missing = run("get", "revio", "contacts", "99999", env=env)
    assert missing.returncode == EXIT_API
    assert missing.stderr.startswith("revclient: not found") and missing.stdout == ""


def test_unknown_resource_lists_the_valid_ones(env: dict[str, str]) -> None:
    result = run("pull", "revio", "widgets", env=env)
    assert result.returncode == EXIT_CONFIG
    assert "contacts, customers, opportunities, projects, tickets" in result.stderr


def test_usage_errors(env: dict[str, str]) -> None:
    assert run("pull", "rev23", "customers", "-f", "xml", env=env).returncode == EXIT_USAGE
    assert run("pull", "rev23", "customers", "--append", env=env).returncode == EXIT_USAGE
    assert run("pull", "rev23", "customers", "-p", "novalue", env=env).returncode == EXIT_USAGE
    assert run("pull", "rev23", "customers", "--table", "t", env=env).returncode == EXIT_USAGE
    appended = run("pull", "rev23", "customers", "-o", "x.parquet", "--append", env=env)
    assert appended.returncode == EXIT_USAGE


def test_help_documents_exit_codes() -> None:
    result = run("--help", env=_clean_env())
    assert result.returncode == 0
    for code in ("3  configuration", "4  authentication", "6  network", "130  interrupted"):
        assert code in result.stdout


# ------------------------------------------------------------------------ errors


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def test_bad_rev23_key(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "old.jsonl"
    out.write_text("old\n")
    env["REV23_API_KEY"] = BAD_REV23_KEY
    result = run("pull", "rev23", "customers", "--out", str(out), env=env)
    assert result.returncode == EXIT_AUTH
    line = _one_line(result)
    assert line.startswith(
        "revclient: authentication failed for key ca_012345678...: "
        "check REV23_API_KEY and REV23_TENANT"
    )
    assert BAD_REV23_KEY not in result.stderr + result.stdout
    # Atomic: the old file is untouched and no temporary file is left behind.
    assert out.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.jsonl"]


def test_bad_revio_key_and_bad_tenant(env: dict[str, str]) -> None:
    secret = "not-the-key-" + "x" * 30
    result = run("pull", "revio", "contacts", env={**env, "REVIO_API_KEY": secret})
    assert result.returncode == EXIT_AUTH
    assert "check REVIO_API_KEY and REVIO_HOST" in _one_line(result)
    assert secret not in result.stderr
    wrong = run("pull", "rev23", "customers", env={**env, "REV23_TENANT": "other-studio"})
    assert wrong.returncode == EXIT_AUTH


def test_missing_configuration() -> None:
    result = run("pull", "rev23", "customers", env=_clean_env())
    assert result.returncode == EXIT_CONFIG
    assert "REV23_API_KEY" in _one_line(result)


def test_permission_denied(sandbox: Sandbox, env: dict[str, str]) -> None:
    sandbox.inject(403, path="/billing/api/v1/opportunities")
    result = run("pull", "revio", "opportunities", env=env)
    assert result.returncode == EXIT_PERMISSION
    assert "permission refused for key key#" in _one_line(result)


def test_an_exhausted_quota_is_not_a_permission_problem(tmp_path: Path) -> None:
    # Azure API Management's quota answer (403 + Retry-After) for the rest of the day.
    # (Fractional Retry-After: whole seconds would round the day's remainder up to "1 d".)
    quota = Sandbox(rate_limit=None, quota=(3, 86_400.0), retry_after="fractional")
    with quota.run_in_thread() as sb:
        result = run("pull", "revio", "customers", env=_sandbox_env(sb), cwd=tmp_path)
    assert result.returncode == EXIT_RATE_LIMITED
    line = _one_line(result)
    assert "quota exhausted for key key#" in line
    assert "try again in 23 h 59 min" in line


def test_a_quota_stop_keeps_the_records_and_prints_the_resume_command(tmp_path: Path) -> None:
    out = tmp_path / "customers.jsonl"
    with Sandbox(
        rate_limit=None, records=120, page_size=25, quota=(4, 86_400.0)
    ).run_in_thread() as sb:
        result = run("pull", "revio", "customers", "--out", str(out), env=_sandbox_env(sb))
    assert result.returncode == EXIT_RATE_LIMITED, result.stderr
    lines = result.stderr.splitlines()
    kept = _jsonl(Path(f"{out}.partial").read_text(encoding="utf-8"))
    assert 0 < len(kept) < 120
    assert (
        lines[0]
        == f"revclient: kept the {len(kept)} records pulled before the error in {out}.partial"
    )
    assert "quota exhausted" in lines[1] and "try again in 23 h 59 min" in lines[1]
    assert lines[2].startswith("revclient: continue with: revclient pull revio customers")
    assert lines[2].endswith("--resume") and len(lines) == 3
    assert Path(f"{out}.checkpoint").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_error_mid_pull_keeps_what_was_pulled(
    sandbox: Sandbox, env: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"customers.{fmt}"
    out.write_text("previous good file\n")
    # Two pages go through (a zero-delay "timeout" fault answers normally), the third 404s.
    sandbox.inject("timeout", path="/api/v2/customers", delay=0, times=2)
    sandbox.inject(404, path="/api/v2/customers")
    result = run("pull", "rev23", "customers", "--out", str(out), "--format", fmt, env=env)
    assert result.returncode == EXIT_API, result.stderr
    assert out.read_text() == "previous good file\n"  # a failed pull never replaces it
    partial = Path(f"{out}.partial")
    assert f"kept the 50 records pulled before the error in {partial}" in result.stderr
    text = partial.read_text(encoding="utf-8")
    if fmt == "jsonl":
        ids = [r["id"] for r in _jsonl(text)]
    elif fmt == "json":
        ids = [r["id"] for r in json.loads(text)]
    else:
        ids = [int(r["id"]) for r in csv.DictReader(io.StringIO(text))]
    assert ids == list(range(1, 51))


def test_network_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the pull: connection refused
    env = _clean_env(
        REV23_API_KEY=BAD_REV23_KEY,
        REV23_TENANT="studio",
        REV23_BASE_URL=f"http://127.0.0.1:{port}",
    )
    result = run("pull", "rev23", "customers", env=env)
    assert result.returncode == EXIT_NETWORK
    assert _one_line(result).startswith("revclient: network error")


# ------------------------------------------------------------------------ Ctrl-C


def _pull_then_signal(tmp_path: Path, out: Path, *signals: signal.Signals) -> tuple[int, str, str]:
    """Start a --sandbox pull to ``out``, send ``signals`` (0.01 s apart) once it has
    written for a while, and return the exit code, stdout and stderr."""
    proc = subprocess.Popen(
        [SCRIPT, "pull", "rev23", "customers", "--sandbox", "--out", str(out)],
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        # A file's temporary twin or spool, or a database created with the first page.
        while not (
            out.exists() or any(tmp_path.glob(".*.part")) or any(tmp_path.glob(".*.spool.jsonl"))
        ):
            assert time.monotonic() < deadline, "the pull wrote nothing"
            time.sleep(0.02)
        # The first 5 pages come at once, then the 5-per-second limit holds the pull ~1 s.
        time.sleep(0.6)
        for signum in signals:
            proc.send_signal(signum)
            time.sleep(0.01)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, stdout, stderr


def _read_back(out: Path) -> list[dict[str, Any]]:
    """The rows of a pulled file or database, as dicts."""
    if out.suffix == ".parquet":
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = pq.read_table(out).to_pylist()
        return rows
    if out.suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(out), read_only=True) as con:
            cursor = con.execute("SELECT * FROM customers ORDER BY id")
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    text = out.read_text(encoding="utf-8")
    if out.suffix == ".json":
        return list(json.loads(text))
    if out.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    return _jsonl(text)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json", "parquet", "duckdb"])
def test_sigint_keeps_a_valid_partial_file(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"customers.{fmt}"
    code, stdout, stderr = _pull_then_signal(tmp_path, out, signal.SIGINT)
    assert code == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert stderr.startswith("revclient: interrupted after") and "partial pull" in stderr
    rows = _read_back(out)
    assert 0 < len(rows) < 1000 and len(rows) % 50 == 0
    assert [int(r["id"]) for r in rows] == list(range(1, len(rows) + 1))
    assert f"kept {len(rows):,} records" in stderr
    assert not list(tmp_path.glob(".*.part"))


def test_sigterm_keeps_the_records_like_ctrl_c(tmp_path: Path) -> None:
    # Issue "pulls", item 6: before, SIGTERM left only a hidden .part file and no message.
    out = tmp_path / "customers.jsonl"
    code, _, stderr = _pull_then_signal(tmp_path, out, signal.SIGTERM)
    assert code == EXIT_TERMINATED, stderr
    assert stderr.startswith("revclient: terminated after") and "Traceback" not in stderr
    rows = _jsonl(out.read_text(encoding="utf-8"))
    assert 0 < len(rows) < 1000 and f"kept {len(rows):,} records" in stderr
    assert not list(tmp_path.glob(".*.part"))
    resume = (
        f"revclient: continue with: revclient pull rev23 customers --sandbox --out {out} --resume"
    )
    assert resume in stderr
    # Not silently ignored: a new pull over the checkpoint is refused, the file untouched.
    again = run("pull", "rev23", "customers", "--sandbox", "--out", str(out), env=_clean_env())
    assert again.returncode == EXIT_CONFIG
    assert f"{out}.checkpoint records an unfinished pull ({len(rows):,} records" in again.stderr
    assert "--resume" in _one_line(again)
    assert len(_jsonl(out.read_text(encoding="utf-8"))) == len(rows)
    # --resume finishes it: every record once.
    done = run("pull", "rev23", "customers", "--sandbox", "--out", str(out), "--resume",
               env=_clean_env())  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"after the {len(rows):,} of the resumed pull" in done.stderr
    assert [r["id"] for r in _jsonl(out.read_text(encoding="utf-8"))] == list(range(1, 1001))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "parquet", "duckdb"])
def test_sigkill_at_random_points_then_resume_gives_every_record_once(
    tmp_path: Path, fmt: str
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    out = tmp_path / f"customers.{fmt}"
    # A database has a checkpoint per table: several resources may be pulled into it.
    checkpoint = Path(f"{out}.customers.checkpoint" if fmt == "duckdb" else f"{out}.checkpoint")
    args = [SCRIPT, "pull", "rev23", "customers", "--out", str(out), "-q", "--resume"]
    with Sandbox(records=400, page_size=20, latency=0.01, rate_limit=None).run_in_thread() as sb:
        env = _sandbox_env(sb)
        kills = 0
        for _ in range(2):
            sb.inject(503, path="/api/v2/customers")  # retried: a fault on every run
            proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 20
            while not checkpoint.exists() and proc.poll() is None:
                assert time.monotonic() < deadline, f"seed {seed}: no checkpoint"
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.1))
            proc.kill()  # SIGKILL: nothing runs after it
            proc.communicate(timeout=20)
            kills += proc.returncode == -signal.SIGKILL
            if proc.returncode == 0:
                break  # finished before the kill
        assert kills, f"seed {seed}: every pull finished before it was killed"
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"seed {seed}: {done.stderr}"
    ids = [int(row["id"]) for row in _read_back(out)]
    assert ids == list(range(1, 401)), f"seed {seed}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name], f"seed {seed}"


def test_resume_needs_a_file(env: dict[str, str], tmp_path: Path) -> None:
    csv_file = str(tmp_path / "x.csv")
    for args in (["--out", "-"], ["--out", csv_file, "--append"]):
        result = run("pull", "rev23", "customers", *args, "--resume", env=env)
        assert result.returncode == EXIT_CONFIG
        assert "--resume needs --out FILE" in _one_line(result)


def test_a_second_ctrl_c_while_finishing_still_exits_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "customers.jsonl"
    code, _, stderr = _pull_then_signal(tmp_path, out, signal.SIGINT, signal.SIGINT)
    assert code == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr and "CancelledError" not in stderr
    assert _jsonl(out.read_text(encoding="utf-8"))


def test_csv_to_stdout_is_streamed_with_the_models_columns() -> None:
    # Before, CSV to stdout appeared only when the pull ended (it was spooled for its header).
    pull = subprocess.Popen(
        [SCRIPT, "pull", "rev23", "customers", "--sandbox", "--format", "csv", "-q"],
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert pull.stdout is not None
    header, first = pull.stdout.readline().decode(), pull.stdout.readline().decode()
    running = pull.poll() is None  # the first page is out; 19 more are still to come
    rest = pull.stdout.read().decode()
    _, stderr = pull.communicate(timeout=30)
    assert pull.returncode == 0, stderr
    assert running
    rows = list(csv.DictReader(io.StringIO(header + first + rest, newline="")))
    # The model's fields by their wire names, then the fields it does not know, as JSON.
    assert header.startswith("id,firstName,lastName,") and header.endswith(",extra\r\n")
    assert [int(r["id"]) for r in rows] == list(range(1, 1001))
    assert all(json.loads(r["extra"]).keys() == {"loyaltyTier"} for r in rows)


def test_a_closed_pipe_ends_the_pull_quietly() -> None:
    # `revclient pull ... | head -1`: the reader goes away; that is no error.
    pull = subprocess.Popen(
        [SCRIPT, "pull", "rev23", "customers", "--sandbox"],
        env=_clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert pull.stdout is not None
    first = pull.stdout.readline()
    pull.stdout.close()  # as head does after its line
    _, stderr = pull.communicate(timeout=30)
    assert json.loads(first)["id"] == 1
    assert pull.returncode == 0, stderr
    assert stderr == b""


def test_a_fifo_is_written_in_place(tmp_path: Path) -> None:
    # Before, the temporary-and-rename replaced a FIFO or /dev/stdout with a regular file.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = run("pull", "rev23", "customers", "--sandbox", "-q", "--out", str(fifo),
                 env=_clean_env())  # fmt: skip
    reader.join(30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert len(_jsonl(got[0].decode())) == 1000


# A file-size limit stands in for a full disk: past it a write fails (EFBIG, as ENOSPC
# would) instead of the process being killed by SIGXFSZ.
_FULL_DISK = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
from revclient.cli import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_full_disk_keeps_only_whole_records_and_counts_them(tmp_path: Path, fmt: str) -> None:
    # Before: FILE.partial ended in a truncated line, and the count included it.
    out = tmp_path / f"customers.{fmt}"
    result = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, "pull", "rev23", "customers", "--sandbox", "-q",
         "--out", str(out)],
        env=_clean_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == EXIT_CONFIG, result.stderr
    assert "File too large" in result.stderr
    text = (tmp_path / f"customers.{fmt}.partial").read_text(encoding="utf-8")
    rows = _jsonl(text) if fmt == "jsonl" else json.loads(text)
    assert 0 < len(rows) < 1000
    assert [row["id"] for row in rows] == list(range(1, len(rows) + 1))
    assert f"kept the {len(rows):,} records pulled before the error" in result.stderr
    assert not out.exists()


def test_an_unknown_extension_is_refused_before_any_request(tmp_path: Path) -> None:
    result = run("pull", "rev23", "customers", "--sandbox", "--out", "x.xlsx",
                 env=_clean_env(), cwd=tmp_path)  # fmt: skip
    assert result.returncode == EXIT_CONFIG
    line = _one_line(result)
    assert "'x.xlsx'" in line and "--format" in line
    for known in (".jsonl", ".json", ".csv", ".parquet", ".duckdb"):
        assert known in line
    assert not list(tmp_path.iterdir())
    forced = run("pull", "rev23", "customers", "--sandbox", "-q", "--out", "x.txt",
                 "--format", "jsonl", env=_clean_env(), cwd=tmp_path)  # fmt: skip
    assert forced.returncode == 0 and len(_jsonl((tmp_path / "x.txt").read_text())) == 1000


# ------------------------------------------------------------------------ progress bar


def _run_on_pty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal (stdout discarded); return code and terminal text."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [SCRIPT, *args],
        env={**env, "TERM": "xterm-256color", "COLUMNS": "200"},
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=10)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_renders_on_a_terminal(env: dict[str, str]) -> None:
    code, text = _run_on_pty(["pull", "rev23", "customers", "--page-size", "10"], env)
    assert code == 0
    assert "\x1b[" in text  # drawn with terminal control sequences
    assert "120/120 records, 12 pages" in text
    assert "rec/s" in text and "rate-limit waits" in text and "ETA" in text
    assert "pulled 120 records" in text


def test_progress_bar_absent_when_piped_or_quiet(env: dict[str, str]) -> None:
    piped = run("pull", "rev23", "customers", env=env)
    assert piped.returncode == 0
    assert "rec/s" not in piped.stderr and "\x1b[" not in piped.stderr
    code, text = _run_on_pty(["pull", "rev23", "customers", "--quiet"], env)
    assert code == 0 and text == ""


# ------------------------------------------------------------------------ sandbox command


def test_sandbox_command_serves_until_ctrl_c(tmp_path: Path) -> None:
    with sandbox_process("--records", "30", script=SCRIPT) as exports:
        assert exports["REV23_BASE_URL"].startswith("http://127.0.0.1:")
        result = run("pull", "revio", "tickets", "-q", env=_clean_env(**exports))
        assert result.returncode == 0, result.stderr
        assert len(_jsonl(result.stdout)) == 30


# ------------------------------------------------------------------------ flattening


def test_flatten() -> None:
    record = {
        "id": 1,
        "name": 'A, "B"',
        "address": {"city": "Austin", "geo": {"lat": 1.5}},
        "tags": ["x", "y"],
        "empty": {},
        "none": None,
        "flag": True,
    }
    assert flatten(record) == {
        "id": "1",
        "name": 'A, "B"',
        "address.city": "Austin",
        "address.geo.lat": "1.5",
        "tags": '["x", "y"]',
        "empty": "{}",
        "none": "",
        "flag": "true",
    }


async def test_pulls_run_in_the_bulk_lane() -> None:
    # The command's paginator queues in the bulk lane: with the key's one token taken, its
    # next page waits there (budget.queued_bulk), behind any interactive call.
    import asyncio

    import revclient
    from revclient.cli._pull import list_paginator

    async with (
        Sandbox(records=20) as sb,
        revclient.AsyncRev23(
            sb.rev23_api_key,
            sb.rev23_tenant,
            base_url=sb.url,
            rate_limit=revclient.RateLimit(1, 60.0),
        ) as client,
    ):
        paginator = list_paginator(
            client, "rev23", "customers", page_size=5, concurrency=None, params={}
        )
        pull = asyncio.ensure_future(paginator.first_page())
        await client.customers.get(1)  # takes the key's only token first
        for _ in range(100):
            if (await client.budget()).queued_bulk:
                break
            await asyncio.sleep(0.01)
        budget = await client.budget()
        pull.cancel()
        await asyncio.gather(pull, return_exceptions=True)
    assert budget.queued_bulk == 1 and budget.queued == 1
