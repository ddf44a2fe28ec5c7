"""``import revclient`` loads what every program needs and nothing else: each API's client,
the sync facade, pulls, sinks, webhook parsing and OpenTelemetry come on first use, and
then work."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import revclient

#: Modules an asyncio program that only sends requests never needs.
DEFERRED = [
    "anyio",
    "opentelemetry",
    "revclient.sync",
    "revclient._portal",
    "revclient.rev23._sync_resources",
    "revclient.revio._sync_resources",
    "revclient.rev23.webhooks",
    "revclient._pull",
    "revclient._checkpoint",
    "revclient.sinks",
    "revclient.cli",
]


def _loaded_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nimport json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    modules: list[str] = json.loads(out)
    return modules


def _deferred_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == d or m.startswith(d + ".") for d in DEFERRED)]


def test_import_revclient_and_building_clients_defers_the_rest() -> None:
    modules = _loaded_after(
        "import revclient\n"
        "revclient.AsyncRev23('k', 't', base_url='http://127.0.0.1:1')\n"
        "revclient.AsyncRevio('k', 'h', base_url='http://127.0.0.1:1')"
    )
    assert "aiohttp" in modules and "revclient.revio._models" in modules  # the probe works
    assert _deferred_in(modules) == []
    alone = _loaded_after("import revclient")
    # Nor what only an answer needs: pages, models, response decoding, budgets.
    later = ("revclient.rev", "cattrs", "revclient._pagination", "revclient._models")
    later += ("revclient._response", "revclient._json", "revclient._advertised", "orjson")
    assert "aiohttp" in alone and [m for m in alone if m.startswith(later)] == []


@pytest.mark.parametrize(
    ("api", "other", "client"),
    [("rev23", "revio", "AsyncRev23"), ("revio", "rev23", "AsyncRevio")],
)
def test_a_program_of_one_api_never_loads_the_others_client_or_models(
    api: str, other: str, client: str
) -> None:
    modules = _loaded_after(
        "import revclient\n"
        "async def main():\n"
        f"    async with revclient.{client}('k', 'h', base_url='http://127.0.0.1:1'):\n"
        "        pass\n"
        "    async with revclient.SessionManager() as manager:\n"
        f"        manager.{api}('k', 'h', base_url='http://127.0.0.1:1')\n"
        "import asyncio; asyncio.run(main())"
    )
    assert f"revclient.{api}._models" in modules
    assert [m for m in modules if m.startswith(f"revclient.{other}")] == []


def test_cattrs_loads_with_the_first_model_and_knows_models_imported_after_it() -> None:
    probe = """
import sys, revclient
assert "cattrs" not in sys.modules
from revclient.rev23 import Customer
assert Customer.from_dict({"id": "1", "x": 1}).extra == {"x": 1} and "cattrs" in sys.modules
from revclient.revio import ProjectOptions  # registered after the converter was built
options = ProjectOptions.from_dict({"projectStatuses": [{"projectStatusId": "2"}]})
assert options.project_statuses[0].project_status_id == 2
assert options.to_dict() == {"projectStatuses": [{"projectStatusId": 2}]}
"""
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)


def test_backends_load_with_the_first_client_and_a_wrong_one_is_refused_clearly() -> None:
    probe = """
import sys, revclient
assert "revclient.backends" not in sys.modules
try:
    revclient.AsyncRev23("k", "t", base_url="http://127.0.0.1:1", backend=object())
except revclient.ConfigurationError as exc:
    assert "state backend" in str(exc) and "got object" in str(exc), exc
else:
    raise SystemExit("a wrong backend was accepted")
from revclient.backends import MemoryBackend
rev = revclient.AsyncRev23("k", "t", base_url="http://127.0.0.1:1", backend=MemoryBackend())
assert isinstance(rev.options.backend, MemoryBackend)
"""
    subprocess.run([sys.executable, "-c", probe], check=True, timeout=60)


@pytest.mark.parametrize(
    ("code", "module"),
    [
        ("revclient.pull", "revclient._pull"),
        ("revclient.sinks.JsonLines", "revclient.sinks"),
        ("revclient.Checkpoint", "revclient._checkpoint"),
        ("revclient.parse_rev23_event", "revclient.rev23.webhooks"),
        ("revclient.rev23.Rev23Event", "revclient.rev23.webhooks"),
        ("revclient.rev23.SyncRev23Resources", "revclient.rev23._sync_resources"),
        ("revclient.revio.SyncRevioResources", "revclient.revio._sync_resources"),
        ("revclient.AsyncRev23", "revclient.rev23._models"),
        ("revclient.rev23.Customer", "revclient.rev23._models"),
        ("from revclient import AsyncRev23", "revclient.rev23._resources"),
        ("revclient.AsyncRevio", "revclient.revio._models"),
        ("revclient.revio.Contact", "revclient.revio._models"),
        ("from revclient.revio import Contact", "revclient.revio._models"),
        ("revclient.Page", "revclient._pagination"),
        ("from revclient import AsyncPaginator", "revclient._models"),
        ("revclient.APIResponse", "revclient._response"),
        ("from revclient import Budget", "revclient._advertised"),
    ],
)
def test_a_deferred_name_loads_its_module_on_first_use(code: str, module: str) -> None:
    assert module in _loaded_after(f"import revclient\n{code}")


def test_deferred_names_are_the_real_objects_and_unknown_names_fail_clearly() -> None:
    from revclient.rev23 import EVENT_TYPES, Rev23Event, SyncRev23Resources, webhooks
    from revclient.rev23._sync_resources import SyncRev23Resources as Direct
    from revclient.revio._client import AsyncRevio

    assert SyncRev23Resources is Direct and revclient.AsyncRevio is AsyncRevio
    assert Rev23Event is webhooks.Rev23Event and EVENT_TYPES is webhooks.EVENT_TYPES
    assert revclient.parse_rev23_event is webhooks.parse_rev23_event
    for package in (revclient, revclient.rev23, revclient.revio):
        with pytest.raises(AttributeError, match="has no attribute 'nope'"):
            package.nope  # noqa: B018
        for name in package.__all__:  # every exported name resolves
            assert getattr(package, name) is not None, (package.__name__, name)
