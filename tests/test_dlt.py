"""The dlt sources (extra ``revclient[dlt]``): the sandbox loaded into dlt's DuckDB
destination in a temporary directory and read back with duckdb.

dlt's working files (pipelines, traces, state) go to the test's directory, its anonymous
telemetry is off, and every connection or name lookup outside 127.0.0.1 is refused and
fails the test.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

import revclient
from revclient.integrations.dlt import rev23_source, revio_source
from revclient.sync import Revio
from revclient.testing import Sandbox

_IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
try:
    import dlt
    from dlt.extract.reference import SourceReference
except ImportError:
    if _IN_CI:
        raise
    pytest.skip("dlt is missing: pip install 'revclient[dlt]'", allow_module_level=True)

RECORDS = 23
PAGE = 5  # five pages a resource, the last one short
#: Each resource's table and the primary key column dlt names from the model's first id.
REVIO_KEYS = {
    "contacts": "contact_id",
    "customers": "customer_id",
    "opportunities": "opportunity_id",
    "tickets": "ticket_id",
    "projects": "project_id",
}
LOOPBACK = {"127.0.0.1", "localhost", "::1", None}


@pytest.fixture
def dlt_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """dlt's data and project directories under ``tmp_path``, its telemetry off, and no
    name lookup or connection beyond loopback."""
    home = tmp_path / "dlt"
    home.mkdir()
    monkeypatch.setenv("DLT_DATA_DIR", str(home))
    monkeypatch.setenv("RUNTIME__DLTHUB_TELEMETRY", "false")
    monkeypatch.chdir(tmp_path)  # dlt reads and may write ./.dlt
    refused: list[Any] = []
    getaddrinfo, connect = socket.getaddrinfo, socket.socket.connect

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOOPBACK:
            refused.append(name)
            raise OSError(f"test: no lookups of {name!r}")
        return getaddrinfo(host, *args, **kwargs)

    def guarded(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            refused.append(address)
            raise OSError(f"test: no connections to {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield home
    assert refused == []


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(records=RECORDS, page_size=PAGE, rate_limit=None).run_in_thread() as sb:
        yield sb


def pipeline(home: Path, name: str) -> Any:
    return dlt.pipeline(
        pipeline_name=name,
        pipelines_dir=str(home / "pipelines"),
        destination=dlt.destinations.duckdb(str(home.parent / f"db-{name}.duckdb")),
        dataset_name=name,
    )


def query(home: Path, name: str, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(home.parent / f"db-{name}.duckdb"), read_only=True) as con:
        con.execute(f"SET search_path = '{name}'")
        return con.execute(sql).fetchall()


def revio(sb: Sandbox, **options: Any) -> Any:
    return revio_source(
        sb.revio_api_key, sb.revio_host, base_url=sb.url, rate_limit=None, **options
    )


def files_holding(root: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


# ------------------------------------------------------------------------ loading


def test_revio_loads_every_record_once_and_a_second_run_merges(
    sandbox: Sandbox, dlt_home: Path
) -> None:
    p = pipeline(dlt_home, "revio")
    p.run(revio(sandbox))
    for table, key in REVIO_KEYS.items():
        rows = query(dlt_home, "revio", f"SELECT {key} FROM {table} ORDER BY 1")
        assert rows == [(i,) for i in range(1, RECORDS + 1)], table
    # Fields the models do not know are columns too (a nested object is flattened).
    assert (
        query(
            dlt_home,
            "revio",
            "SELECT count(preferred_channel) FROM contacts UNION ALL "
            "SELECT count(address__city) FROM customers UNION ALL "
            "SELECT count(project_type) FROM projects",
        )
        == [(RECORDS,)] * 3
    )
    # Typed from the spec: decimals stay exact, dates are dates.
    types = dict(query(dlt_home, "revio", "SELECT column_name, data_type FROM "
                       "information_schema.columns WHERE table_name = 'opportunities' "
                       "AND table_schema = 'revio'"))  # fmt: skip
    assert types["amount"].startswith("DECIMAL") and types["close_date"] == "DATE"

    # The server changes: one record replaced, one added. A second run upserts by key.
    with Revio(sandbox.revio_api_key, sandbox.revio_host, base_url=sandbox.url) as psa:
        psa.opportunities.update(3, customer_id=1, name="renamed")
        added = psa.opportunities.create(customer_id=1, name="new")
    assert added is not None and added.opportunity_id == RECORDS + 1
    p.run(revio(sandbox, resources=["opportunities", "contacts"]))
    assert query(
        dlt_home, "revio", "SELECT count(*), count(DISTINCT opportunity_id) FROM opportunities"
    ) == [(RECORDS + 1, RECORDS + 1)]
    assert query(dlt_home, "revio", "SELECT name FROM opportunities WHERE opportunity_id = 3") == [
        ("renamed",)
    ]
    assert query(
        dlt_home, "revio", "SELECT count(*), count(DISTINCT contact_id) FROM contacts"
    ) == [(RECORDS, RECORDS)]


def test_rev23_loads_customers_with_their_unknown_fields(sandbox: Sandbox, dlt_home: Path) -> None:
    source = rev23_source(
        sandbox.rev23_api_key, sandbox.rev23_tenant, base_url=sandbox.url, rate_limit=None
    )
    assert list(source.resources) == ["customers"]
    p = pipeline(dlt_home, "rev23")
    for _ in range(2):
        p.run(source)
        assert query(
            dlt_home, "rev23", "SELECT count(*), count(DISTINCT id), count(loyalty_tier), "
            "min(id), max(id) FROM customers"
        ) == [(RECORDS, RECORDS, RECORDS, 1, RECORDS)]  # fmt: skip


def test_resources_share_the_keys_budget_and_retries_happen_below_dlt(dlt_home: Path) -> None:
    # Five resources on one key, concurrently on dlt's loop, against a strict window:
    # revclient paces them together (no 429) and retries the injected 503s.
    limit, period = 20, 0.5
    with Sandbox(records=RECORDS, page_size=PAGE, rate_limit=(limit, period)).run_in_thread() as sb:
        sb.inject(503, path="/billing/api/v1/contacts", times=2)
        sb.inject(502, path="/psac/api/v1/ticket-list", times=1)
        source = revio_source(
            sb.revio_api_key,
            sb.revio_host,
            base_url=sb.url,
            rate_limit=revclient.RateLimit(limit=limit, period=period),
            retry=revclient.RetryPolicy(backoff_base=0.01, backoff_cap=0.05),
        )
        pipeline(dlt_home, "paced").run(source)
        stats = sb.stats.keys["revio"]
        assert stats.rate_limited == 0 and stats.exchanges == 1
        assert sb.max_in_window("revio") <= limit
        assert sb.stats.statuses().count(503) == 2
    for table, key in REVIO_KEYS.items():
        assert query(dlt_home, "paced", f"SELECT count(*), count(DISTINCT {key}) FROM {table}") == [
            (RECORDS, RECORDS)
        ], table


def test_tenant_labels_keep_several_tenants_records_apart_in_one_dataset(
    sandbox: Sandbox, dlt_home: Path
) -> None:
    # Two tenants whose records share ids (here: the same sandbox twice) load into one
    # dataset; each row keeps its tenant, and a second run still merges by (tenant, id).
    p = pipeline(dlt_home, "tenants")
    for _ in range(2):
        for label in ("studio-a", "studio-b"):
            p.run(revio(sandbox, resources=["contacts"], tenant_label=label))
    assert query(
        dlt_home,
        "tenants",
        "SELECT tenant, count(*), count(DISTINCT contact_id) FROM contacts GROUP BY 1 ORDER BY 1",
    ) == [("studio-a", RECORDS, RECORDS), ("studio-b", RECORDS, RECORDS)]
    for bad in ("", 7):
        with pytest.raises(revclient.ConfigurationError, match="tenant_label"):
            revio(sandbox, tenant_label=bad)


# ------------------------------------------------------------------------ keys


def test_the_key_is_nowhere_in_dlts_files_trace_or_errors(sandbox: Sandbox, dlt_home: Path) -> None:
    p, p23 = pipeline(dlt_home, "keys"), pipeline(dlt_home, "keys23")
    p.run(revio(sandbox))
    p23.run(rev23_source(sandbox.rev23_api_key, sandbox.rev23_tenant, base_url=sandbox.url))
    # A key the server refuses: the failure dlt records holds revclient's error, no key.
    wrong = "not-the-key-" + "x" * 30
    failing = pipeline(dlt_home, "failing")
    with pytest.raises(Exception) as failed:
        failing.run(revio_source(wrong, sandbox.revio_host, base_url=sandbox.url))
    chain, exc = [], failed.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(e, revclient.AuthenticationError) for e in chain)
    for secret in (sandbox.revio_api_key, sandbox.rev23_api_key, wrong):
        assert files_holding(dlt_home.parent, secret) == []
        for pipe in (p, p23, failing):
            assert secret not in str(pipe.last_trace) and secret not in repr(pipe.state)
        assert all(secret not in str(e) for e in chain)
    # The files searched hold dlt's state and its traces.
    assert len(list((dlt_home / "pipelines").rglob("trace.pickle"))) == 3


def test_keys_from_the_environment(
    sandbox: Sandbox, dlt_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIO_API_KEY", sandbox.revio_api_key)
    monkeypatch.setenv("REVIO_HOST", sandbox.revio_host)
    monkeypatch.setenv("REVIO_BASE_URL", sandbox.url)
    source = revio_source(resources="contacts", rate_limit=None)
    pipeline(dlt_home, "env").run(source)
    assert query(dlt_home, "env", "SELECT count(*) FROM contacts") == [(RECORDS,)]
    assert files_holding(dlt_home.parent, sandbox.revio_api_key) == []


# ------------------------------------------------------------------------ configuration


def test_resources_selects_endpoints_and_refuses_unknown_ones(sandbox: Sandbox) -> None:
    assert list(revio(sandbox).resources) == list(REVIO_KEYS)
    assert list(revio(sandbox, resources=["tickets", "contacts"]).resources) == [
        "tickets",
        "contacts",
    ]
    with pytest.raises(revclient.ConfigurationError, match="list endpoints: contacts, cust"):
        revio(sandbox, resources=["phases"])
    with pytest.raises(revclient.ConfigurationError, match="page_size"):
        revio(sandbox, page_size=0)
    # dlt registers module-level source functions globally; these are not kept there.
    assert not any("revclient" in name for name in SourceReference.SOURCES)


def test_a_missing_key_fails_when_the_source_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REV23_API_KEY", raising=False)
    with pytest.raises(revclient.ConfigurationError, match="REV23_API_KEY"):
        rev23_source(tenant="studio")


_IMPORTS = """
import sys
import revclient, revclient.sync, revclient.integrations.dlt
assert "dlt" not in sys.modules, "revclient imported dlt"
sys.modules["dlt"] = None  # as if not installed
try:
    revclient.integrations.dlt.rev23_source("ca_" + "0" * 40, "studio")
except revclient.ConfigurationError as exc:
    print(exc)
"""


def test_dlt_is_imported_only_by_a_source_and_its_absence_names_the_extra() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTS], capture_output=True, text=True, check=True
    )
    assert "pip install 'revclient[dlt]'" in out.stdout
