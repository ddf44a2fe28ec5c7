"""``revclient pull --tenants FILE``: one list endpoint of many tenants at once, in one process.

Every tenant has its own key, so its own budget, and its own client; the clients share one
:class:`~revclient.SessionManager` connection pool. Each tenant is an ordinary pull of the
engine (:func:`revclient.pull` with ``tenant=``), with a checkpoint of its own:

- ``--out 'out/{tenant}.parquet'``: one file per tenant, each with its usual checkpoint;
- ``--out all.duckdb``: every tenant upserts into one table keyed by (tenant, id), and keeps
  ``all.duckdb.TABLE.LABEL.checkpoint``;
- ``--out all.jsonl`` (JSON, CSV, Parquet): a file cannot take several writers' pages and
  still be cut back to one of them on resume, so each tenant pulls into a hidden
  ``.all.jsonl.LABEL.jsonl`` (checkpoint ``all.jsonl.LABEL.checkpoint``) and the destination is
  written from those parts, in the file's order of tenants, when the pulls end.

Which tenants completed is kept in ``DEST._tenants.checkpoint``, so that ``--resume`` pulls only
the others (a tenant refused before its first record has no checkpoint of its own).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any

import attrs

from .._checkpoint import Checkpoint, write_atomically
from .._config import check_base_url
from .._secret import Redacted, scrub
from ..errors import ConfigurationError

if TYPE_CHECKING:
    from ..sinks import Format, Sink
    from ._progress import PullStats
    from ._pull import Api, PullOptions

__all__ = ["TEMPLATE", "Tenant", "TenantPull", "load_tenants", "plan_tenants", "run_tenants"]

#: What ``--out`` holds to write one file per tenant (replaced by the tenant's label).
TEMPLATE = "{tenant}"

# A label names files: no separators, no leading dot or underscore (``_tenants`` is ours).
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FIELDS = ("label", "api_key", "api_key_env", "tenant", "host", "base_url")
_MERGE_BATCH = 1000


@attrs.frozen
class Tenant:
    """One entry of the tenants file: its ``label`` (the ``tenant`` field of its records), the
    key (hidden from reprs), the REV23 tenant or Rev.io PSA host (``name``), and an optional
    ``base_url`` (a self-hosted gateway, or a sandbox on 127.0.0.1)."""

    label: str
    api_key: Redacted[str] = attrs.field(repr=False)
    name: str
    base_url: str | None = None


def _entry_error(path: str, index: int, label: object, problem: str) -> ConfigurationError:
    what = f"entry {index + 1}" + (f" ({label!r})" if isinstance(label, str) and label else "")
    return ConfigurationError(f"{path}: {what}: {problem}")


def _text(entry: Mapping[str, Any], name: str, fail: Callable[[str], Exception]) -> str | None:
    value = entry.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise fail(f"{name} must be a non-empty string")
    return value


def load_tenants(
    path: str, api: Api, environ: Mapping[str, str], *, sandbox: bool = False
) -> list[Tenant]:
    """The entries of a tenants file (TOML: ``[[tenants]]`` tables), every one checked
    before anything runs; a :class:`ConfigurationError` names the first bad entry (by
    number and label) and what is wrong, never a key. With ``sandbox`` only labels are
    needed (each tenant gets a sandbox key)."""
    try:
        return _load(path, api, environ, sandbox)
    except ConfigurationError as exc:
        scrub(exc)  # the frames held the file's entries and keys
        raise


def _load(path: str, api: Api, environ: Mapping[str, str], sandbox: bool) -> list[Tenant]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    entries = data.get("tenants")
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(
            f"{path}: expected a list of [[tenants]] tables with label, api_key_env (or "
            f"api_key) and {'tenant' if api == 'rev23' else 'host'}"
        )
    name_field, other = ("tenant", "host") if api == "rev23" else ("host", "tenant")
    tenants: list[Tenant] = []
    for index, entry in enumerate(entries):
        raw_label = entry.get("label") if isinstance(entry, dict) else None

        def fail(problem: str, index: int = index, label: Any = raw_label) -> ConfigurationError:
            return _entry_error(path, index, label, problem)

        if not isinstance(entry, dict):
            raise fail("expected a table of label, api_key_env, ...")
        unknown = sorted(set(entry) - set(_FIELDS))
        if unknown:
            raise fail(f"unknown field {unknown[0]!r}; known: {', '.join(_FIELDS)}")
        if entry.get(other) is not None:
            raise fail(f"{api} entries name a {name_field}, not a {other}")
        name = _text(entry, name_field, fail)
        label = _text(entry, "label", fail) or name
        if label is None:
            raise fail(f"needs a label (or a {name_field})")
        if not _LABEL.fullmatch(label):
            raise fail(
                f"label {label!r} must be up to 64 letters, digits, '.', '_' and '-' (it "
                "names files), starting with a letter or digit"
            )
        if label in (t.label for t in tenants):
            raise fail(f"label {label!r} is used twice")
        if name is None and not sandbox:
            raise fail(f"needs a {name_field}")
        base_url = _text(entry, "base_url", fail)
        if base_url is not None:
            try:
                check_base_url(base_url, "base_url", allow_insecure=False)
            except ConfigurationError as exc:
                raise fail(str(exc)) from None
        env_name = _text(entry, "api_key_env", fail)
        key = None
        if "api_key" in entry and env_name is not None:
            raise fail("give api_key_env or api_key, not both")
        if env_name is not None:
            key = environ.get(env_name) or None
            if key is None and not sandbox:
                raise fail(f"api_key_env names {env_name}, which is not set (or empty)")
        elif "api_key" in entry:
            key = _text(entry, "api_key", lambda _p: fail("api_key must be a non-empty string"))
        elif not sandbox:
            raise fail("needs api_key_env (the variable holding the key) or api_key")
        for other_tenant in tenants:
            if key and key == other_tenant.api_key.value:
                raise fail(
                    f"uses the same key as {other_tenant.label!r}: one key is one budget, "
                    "so they would not run side by side"
                )
        tenants.append(Tenant(label, Redacted(key or ""), name or "", base_url))
        del key  # no frame shows the key (revclient._secret)
    return tenants


# ---------------------------------------------------------------------------- plan


@attrs.define
class TenantPull:
    """One tenant's pull: where it writes (``sink``; ``part``, the hidden file a shared
    destination is later written from), its checkpoint, whether it continues one, and how
    it went (``stats``; ``error``; ``done``: completed now or in the run it resumes)."""

    tenant: Tenant
    sink: Sink | None
    checkpoint: str
    resume: bool
    stats: PullStats
    part: str | None = None
    done: bool = False
    error: BaseException | None = None


@attrs.frozen
class TenantsPlan:
    """Every tenant's pull, the shared destination (``merge_into``: a file written from the
    parts; ``None`` when tenants write their destination directly) and the file recording
    which tenants completed (``state``)."""

    pulls: list[TenantPull]
    state: str
    fmt: Format
    merge_into: str | None = None


def plan_tenants(
    tenants: list[Tenant],
    out: str,
    fmt: Format,
    table: str | None,
    resource: str,
    resume: bool,
    resume_command: str,
) -> TenantsPlan:
    """Sinks and checkpoints for every tenant, built before any request; an unfinished pull
    without ``resume`` is refused (its checkpoints are never overwritten)."""
    from ..sinks import open_sink
    from ._progress import PullStats

    templated = TEMPLATE in out
    suffix = f".{table or resource}" if fmt == "duckdb" else ""
    state = f"{out.replace(TEMPLATE, '_tenants')}{suffix}.checkpoint"
    if not templated:
        state = f"{out}{suffix}._tenants.checkpoint"
    done = _read_state(state)
    unfinished = [state] if done is not None else []
    pulls = []
    merge_into = None if templated or fmt == "duckdb" else out
    for tenant in tenants:
        label = tenant.label
        part = None
        if templated:
            dest = out.replace(TEMPLATE, label)
            checkpoint = f"{dest}{suffix}.checkpoint"
            with contextlib.suppress(OSError):  # a directory that cannot be made fails below
                os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
        elif fmt == "duckdb":
            dest = out
            checkpoint = f"{out}{suffix}.{label}.checkpoint"
        else:
            directory, name = os.path.split(out)
            dest = part = os.path.join(directory, f".{name}.{label}.jsonl")
            checkpoint = f"{out}.{label}.checkpoint"
        if Checkpoint.read(checkpoint) is not None:
            unfinished.append(checkpoint)
        finished = resume and done is not None and label in done
        sink = None if finished else open_sink(dest, format="jsonl" if part else fmt, table=table)
        pulls.append(
            TenantPull(tenant, sink, checkpoint, resume, PullStats(), part=part, done=finished)
        )
    if unfinished and not resume:
        raise ConfigurationError(
            f"{unfinished[0]} records an unfinished pull of these tenants; continue it with: "
            f"{resume_command} (or delete {', '.join(unfinished)} to start over)"
        )
    return TenantsPlan(pulls, state, fmt, merge_into)


def _read_state(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8") as f:
            done = json.load(f)["done"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise ConfigurationError(f"{path} is not a revclient checkpoint (delete it)") from None
    if not isinstance(done, list):
        raise ConfigurationError(f"{path} is not a revclient checkpoint (delete it)")
    return [str(label) for label in done]


def _write_state(plan: TenantsPlan) -> None:
    done = [p.tenant.label for p in plan.pulls if p.done]
    # With {tenant} in a directory name ('{tenant}/x.jsonl') the state is in _tenants/.
    os.makedirs(os.path.dirname(os.path.abspath(plan.state)), exist_ok=True)
    write_atomically(plan.state, json.dumps({"version": 1, "done": done}))


def _remove_state(plan: TenantsPlan) -> None:
    Checkpoint.remove(plan.state)
    with contextlib.suppress(OSError):  # only the _tenants/ directory made for it, if empty
        if os.path.basename(os.path.dirname(os.path.abspath(plan.state))) == "_tenants":
            os.rmdir(os.path.dirname(os.path.abspath(plan.state)))


# ---------------------------------------------------------------------------- run


def run_tenants(options: PullOptions, plan: TenantsPlan, total: PullStats) -> None:
    """Pull every tenant of ``plan`` concurrently (a progress line each and a total), then
    write a shared file destination from the parts. A tenant's error is kept in its
    :class:`TenantPull` (the others go on); Ctrl-C or SIGTERM raises
    :class:`~revclient.cli._pull.Interrupted` once every tenant has kept its records."""
    from .._pull import pull
    from .._session import SessionManager
    from ..backends import default_backend
    from ._progress import CountingBackend, TenantsProgress, bar_wanted
    from ._pull import SANDBOX_DEMO, Interrupted, enter_sandbox, run_interruptible

    show = bar_wanted(options.quiet)
    source_model: list[Any] = []

    def client_for(manager: SessionManager, tenant: Tenant, sandbox: Any, stats: Any) -> Any:
        # A tenant's own client (its key's budget) on the shared pool; --sandbox: a new
        # sandbox key per tenant, limited like the sandbox.
        from .._config import RateLimit

        backend = None if stats is None else CountingBackend(default_backend(), stats)
        kwargs: dict[str, Any] = {"backend": backend, "base_url": tenant.base_url}
        key, name = tenant.api_key.value, tenant.name
        if sandbox is not None:
            key = sandbox.add_key(options.api)
            name = sandbox.rev23_tenant if options.api == "rev23" else sandbox.revio_host
            kwargs["base_url"] = sandbox.url
            kwargs["rate_limit"] = RateLimit(*SANDBOX_DEMO["rate_limit"])
        if options.api == "rev23":
            return manager.rev23(key, name, **kwargs)
        return manager.revio(key, name, auth_url=kwargs["base_url"], **kwargs)

    async def one(manager: SessionManager, task: TenantPull, sandbox: Any) -> None:
        tenant = task.tenant
        stats = task.stats
        assert task.sink is not None
        client = client_for(manager, tenant, sandbox, stats)
        try:
            paginator = options.paginator(client)
            source_model[:] = [paginator.item_type]
            stats.started = time.monotonic()

            checkpoint_exists = Checkpoint.read(task.checkpoint) is not None
            result = await pull(
                paginator,
                task.sink,
                checkpoint=task.checkpoint,
                resume=task.resume and checkpoint_exists,
                on_page=stats.follow,
                tenant=tenant.label,
            )
            stats.resumed = result.resumed
            task.done = True
            _write_state(plan)
        except Exception as exc:
            task.error = exc
        finally:
            await client.aclose()

    async def main(interrupted: Callable[[], int]) -> None:
        async with contextlib.AsyncExitStack() as stack:
            try:
                sb = await enter_sandbox(stack, options.sandbox)
                manager = SessionManager()
                stack.push_async_callback(manager.aclose)
                total.started = time.monotonic()
                labels = [(p.tenant.label, p.stats, p.done) for p in plan.pulls]
                with TenantsProgress(labels, total, enabled=show) as progress:
                    todo = [one(manager, p, sb) for p in plan.pulls if not p.done]
                    watcher = asyncio.ensure_future(progress.follow())
                    try:
                        await asyncio.gather(*todo)
                    finally:
                        watcher.cancel()
                if not source_model and plan.merge_into is not None:
                    # Every tenant was done before this run: no paginator told the model.
                    client = client_for(manager, plan.pulls[0].tenant, sb, None)
                    source_model[:] = [options.paginator(client).item_type]
                    await client.aclose()
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                records = sum(p.stats.records for p in plan.pulls)
                raise Interrupted(records, interrupted() or 2) from None

    try:
        run_interruptible(main)
    finally:
        # Interrupted or not, the destination holds what every tenant kept so far.
        if plan.merge_into is not None:
            _merge(plan, options.resource, source_model[0] if source_model else None)
    if all(p.done for p in plan.pulls):
        _remove_state(plan)


def _merge(plan: TenantsPlan, resource: str, model: Any) -> None:
    """Write the shared destination from every tenant's part (what a failed or interrupted
    tenant kept included), in the order of the tenants file; the parts go once every
    tenant is complete."""
    from .._pull import TENANT_FIELD
    from ..sinks import Resumable, Source, open_sink

    assert plan.merge_into is not None
    files = []
    for p in plan.pulls:
        # A failed pull's records are in PART.partial; a finished or interrupted one's in PART.
        kept = p.sink.kept if p.sink is not None else None
        file = kept or p.part
        if file is not None and os.path.exists(file):
            files.append(file)
    sink = open_sink(plan.merge_into, format=plan.fmt)
    sink.start(Source(resource, model, TENANT_FIELD))
    try:
        for file in files:
            with open(file, encoding="utf-8") as f:
                while batch := [json.loads(line) for line in islice(f, _MERGE_BATCH)]:
                    sink.write(batch)
    except BaseException:
        sink.discard()
        raise
    sink.finish()
    if isinstance(sink, Resumable):
        sink.forget()
    if all(p.done for p in plan.pulls):
        for p in plan.pulls:
            if p.part is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(p.part)
