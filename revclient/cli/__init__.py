"""The ``revclient`` command line: pull every record of a list endpoint into a file.

``revclient pull``, ``revclient get`` and ``revclient sandbox``; install with
``pip install 'revclient[cli]'``. Exit codes are defined once, in :data:`EXIT_CODES`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .. import __version__
from ..errors import (
    APIError,
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RevError,
    TransportError,
    UnavailableForLegalReasonsError,
)
from ..sinks import FORMATS, Format

if TYPE_CHECKING:
    from ._progress import PullStats
    from ._pull import Api, PullOptions

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CODES",
    "EXIT_CONFIG",
    "EXIT_INTERRUPTED",
    "EXIT_NETWORK",
    "EXIT_OK",
    "EXIT_PERMISSION",
    "EXIT_RATE_LIMITED",
    "EXIT_TERMINATED",
    "EXIT_UNEXPECTED",
    "EXIT_USAGE",
    "cli",
    "main",
]

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_AUTH = 4
EXIT_PERMISSION = 5
EXIT_NETWORK = 6
EXIT_API = 7
EXIT_RATE_LIMITED = 8
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

#: Every exit code the command line uses, with its meaning (also shown by ``--help``).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_UNEXPECTED: "unexpected error (a bug: please report it)",
    EXIT_USAGE: "usage error (bad option or argument)",
    EXIT_CONFIG: "configuration error (missing or invalid key, tenant, host, URL; output path)",
    EXIT_AUTH: "authentication failed (the API key, tenant or host was refused)",
    EXIT_PERMISSION: "permission refused (403; also 402 unpaid and 451 suspended subscription)",
    EXIT_NETWORK: "network error (connection failed or timed out, after retries)",
    EXIT_API: "other API error (404, 5xx after retries, undecodable answer, ...)",
    EXIT_RATE_LIMITED: "rate limit or quota exhausted for longer than the retry policy waits",
    EXIT_INTERRUPTED: "interrupted by Ctrl-C (records already written are kept)",
    EXIT_TERMINATED: "terminated by SIGTERM (records already written are kept)",
}

_ENV_HINT: dict[str, str] = {
    "rev23": "check REV23_API_KEY and REV23_TENANT",
    "revio": "check REVIO_API_KEY and REVIO_HOST (and REVIO_AUTH_URL)",
}

_EPILOG = (
    "\b\nCredentials and URLs come from the environment, as in the library:\n"
    "  REV23_API_KEY, REV23_TENANT, REV23_BASE_URL\n"
    "  REVIO_API_KEY, REVIO_HOST, REVIO_BASE_URL, REVIO_AUTH_URL\n"
    "\n\b\nExit codes:\n"
    + "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())
)


class _Failure(Exception):
    """An error already turned into one line and an exit code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    units = ((days, "d"), (hours, "h"), (minutes, "min"), (secs, "s"))
    return " ".join(f"{n} {unit}" for n, unit in units if n) or "a moment"


def _explain(
    exc: BaseException, api: str, label: str | None, sandbox: bool, hint: str | None = None
) -> _Failure:
    """One clear line and an exit code for an error; never a secret, never a traceback."""
    key = f" for key {label}" if label else ""
    if hint is None:
        hint = "the --sandbox credentials were refused" if sandbox else _ENV_HINT.get(api, "")
    if isinstance(exc, ConfigurationError):
        return _Failure(EXIT_CONFIG, f"configuration error: {exc}")
    if isinstance(exc, AuthenticationError):
        return _Failure(
            EXIT_AUTH, f"authentication failed{key}: {hint} (server said: {exc.message})"
        )
    if isinstance(
        exc, PermissionDeniedError | PaymentRequiredError | UnavailableForLegalReasonsError
    ):
        return _Failure(
            EXIT_PERMISSION, f"permission refused{key}: HTTP {exc.status}: {exc.message}"
        )
    if isinstance(exc, RateLimitError):
        kind = "quota exhausted" if isinstance(exc, QuotaExceededError) else "rate limited"
        when = f"; try again in {_duration(exc.retry_after)}" if exc.retry_after else ""
        return _Failure(EXIT_RATE_LIMITED, f"{kind}{key}: {exc.message}{when}")
    if isinstance(exc, NotFoundError):
        return _Failure(EXIT_API, f"not found: {exc}")
    if isinstance(exc, TransportError):
        return _Failure(EXIT_NETWORK, f"network error: {exc}")
    if isinstance(exc, APIError | RevError):
        return _Failure(EXIT_API, f"API error: {exc}")
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return _Failure(EXIT_CONFIG, f"cannot write{where}: {exc.strerror or exc}")
    return _Failure(EXIT_UNEXPECTED, f"unexpected error: {type(exc).__name__}: {exc}")


def _say(message: str) -> None:
    click.echo(f"revclient: {message}", err=True)


def _parse_params(
    _ctx: click.Context, _param: click.Parameter, values: Sequence[str]
) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}")
        params[name] = text
    return params


@click.group(epilog=_EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="revclient")
def cli() -> None:
    """Pull data from the REV23 Cloud API and the Rev.io PSA API.

    \b
    Try it without credentials:
      revclient pull rev23 customers --sandbox --out customers.jsonl
    """


_API = click.Choice(["rev23", "revio"])


@cli.command()
@click.argument("api", type=_API)
@click.argument("resource")
@click.option("--out", "-o", metavar="FILE", help="Output file or database (default: stdout).")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    help="jsonl (default), csv (nested fields as dotted columns), json (one array), parquet "
    "or duckdb (typed columns, unknown fields in a JSON column 'extra'). Inferred from "
    "--out's extension.",
)
@click.option(
    "--table",
    metavar="NAME",
    help="DuckDB table to upsert into (default: the resource's name).",
)
@click.option("--page-size", type=click.IntRange(min=1), help="Records per request.")
@click.option(
    "--concurrency", type=click.IntRange(min=1), help="Pages fetched ahead at once (in order)."
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_parse_params,
    help="Extra list() argument, repeatable.",
)
@click.option(
    "--sandbox",
    is_flag=True,
    help="Start a local sandbox in-process and pull from it (no credentials): 1000 records "
    "per collection, pages of 50, 20 ms latency, 5 requests/s per key (the client's rate "
    "limiter set to match), so a full pull takes about 4 s.",
)
@click.option("--append", is_flag=True, help="Append to FILE instead of replacing it atomically.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the interrupted pull recorded in FILE.checkpoint: every record ends up "
    "in FILE exactly once. Without a checkpoint, a new pull.",
)
@click.option(
    "--tenants",
    "tenants_file",
    metavar="TOML",
    help="Pull many tenants at once: a TOML file of [[tenants]] entries (label, api_key_env "
    "or api_key, tenant or host, optionally base_url). Every record gets a 'tenant' field "
    "(the label); --out is one destination (DuckDB keyed by tenant and id) or a template "
    "such as 'out/{tenant}.parquet'.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line.")
def pull(
    api: Api,
    resource: str,
    out: str | None,
    fmt: Format | None,
    table: str | None,
    page_size: int | None,
    concurrency: int | None,
    params: dict[str, str],
    sandbox: bool,
    append: bool,
    resume: bool,
    tenants_file: str | None,
    quiet: bool,
) -> int:
    """Pull every record of a list endpoint (e.g. rev23 customers) into a file or database.

    JSONL, CSV and JSON rows are the full record as the server sent it, unknown fields
    included; Parquet and DuckDB get typed columns plus the unknown fields as JSON. A file
    is written to a temporary file and renamed into place when the pull completes (or is
    interrupted: Ctrl-C keeps every record already pulled, in a valid file); --append
    writes in place instead. A DuckDB table is upserted page by page, by the record's id.
    A pull into a file keeps FILE.checkpoint up to date (deleted when the pull completes);
    --resume continues from it after Ctrl-C, SIGTERM, kill -9 or an error.
    A progress bar is shown on stderr when it is a terminal.
    """
    from ..sinks import format_of, open_sink
    from ._progress import PullStats
    from ._pull import Interrupted, PullOptions, run_pull

    if fmt is None:
        try:
            fmt = format_of(None if out == "-" else out)
        except ConfigurationError as exc:
            raise _Failure(EXIT_CONFIG, f"configuration error: {exc}, or say --format") from None
    if append and fmt not in ("jsonl", "csv"):
        raise click.UsageError(f"--append works with --format jsonl or csv, not {fmt}")
    if append and out in (None, "-"):
        raise click.UsageError("--append needs --out FILE")
    if table is not None and fmt != "duckdb":
        raise click.UsageError("--table works with --format duckdb (a .duckdb --out)")
    if tenants_file is not None:
        if append:
            raise click.UsageError("--append does not work with --tenants")
        if out in (None, "-") or _is_special(out):
            raise click.UsageError("--tenants needs --out FILE (or a template with {tenant})")
        options = PullOptions(
            api, resource, page_size, concurrency, params, sandbox, quiet, None, resume
        )
        return _pull_tenants(options, tenants_file, out, fmt, table)
    # Built before anything runs: a missing extra or a bad option fails before any request.
    sink = _explained(lambda: open_sink(out, format=fmt, append=append, table=table))
    checkpoint = _checkpoint_for(out, append, fmt, table or resource, resume)
    options = PullOptions(
        api, resource, page_size, concurrency, params, sandbox, quiet, checkpoint, resume
    )
    stats = PullStats()
    where = "stdout" if out in (None, "-") else out
    try:
        run_pull(options, sink, stats, _say)
    except BrokenPipeError:
        # The reader went away (`| head`): it has what it wanted. Caught here, before
        # click turns it into exit code 1.
        _silence_stdout()
        return EXIT_OK
    except Interrupted as exc:
        terminated = exc.signum == signal.SIGTERM
        what = "terminated" if terminated else "interrupted"
        if exc.records:
            _say(
                f"{what} after {_seconds(stats)}: kept {exc.records:,} records "
                f"({stats.pages:,} pages) in {where}; the output is complete up to the last "
                f"record (partial pull)"
            )
        else:
            _say(f"{what} after {_seconds(stats)}, before any record: nothing written")
        _say_resume(checkpoint)
        return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED
    except Exception as exc:
        failure = _explain(exc, api, stats.key_label, sandbox)
        _say(failure.message)
        _say_resume(checkpoint)
        return failure.code
    if not quiet:
        waits = f", {stats.waits} rate-limit waits" if stats.waits else ""
        after = f", after the {stats.resumed:,} of the resumed pull" if stats.resumed else ""
        _say(
            f"pulled {stats.records:,} records ({stats.pages:,} pages) from {api} {resource} "
            f"in {_seconds(stats)}{waits} to {where}{after}"
        )
    return EXIT_OK


def _pull_tenants(
    options: PullOptions, tenants_file: str, out: str, fmt: Format, table: str | None
) -> int:
    """``pull --tenants``: every tenant at once; a summary line per tenant and a total."""
    from ._progress import PullStats
    from ._pull import Interrupted
    from ._tenants import load_tenants, plan_tenants, run_tenants

    api = options.api
    tenants = _explained(
        lambda: load_tenants(tenants_file, api, os.environ, sandbox=options.sandbox)
    )
    plan = _explained(
        lambda: plan_tenants(
            tenants, out, fmt, table, options.resource, options.resume, _resume_command()
        )
    )
    total = PullStats()
    try:
        run_tenants(options, plan, total)
    except Interrupted as exc:
        what = "terminated" if exc.signum == signal.SIGTERM else "interrupted"
        _say(
            f"{what} after {_seconds(total)}: kept {exc.records:,} records in {out}; every "
            "tenant continues from its checkpoint"
        )
        _say(f"continue with: {_resume_command()}")
        return EXIT_TERMINATED if exc.signum == signal.SIGTERM else EXIT_INTERRUPTED
    except Exception as exc:  # writing the shared destination failed
        failure = _explain(exc, api, None, options.sandbox)
        _say(failure.message)
        return failure.code
    failed = []
    code = EXIT_OK
    for task in plan.pulls:
        label, stats = task.tenant.label, task.stats
        if task.error is not None:
            hint = f"check entry {label!r} of {tenants_file}"
            failure = _explain(task.error, api, None, options.sandbox, hint)
            code = code or failure.code
            failed.append(label)
            kept = f"; kept {stats.records:,} records" if stats.records else ""
            _say(f"tenant {label}: {failure.message}{kept}")
        elif not options.quiet:
            done = "done in the resumed pull" if task.sink is None else ""
            after = f", after the {stats.resumed:,} of the resumed pull" if stats.resumed else ""
            _say(
                f"tenant {label}: "
                + (
                    done
                    or f"pulled {stats.records:,} records "
                    f"({stats.pages:,} pages) in {stats.elapsed:.1f}s{after}"
                )
            )
    pulled = len(plan.pulls) - len(failed)
    if failed:
        _say(
            f"pulled {total.records:,} records from {pulled} of {len(plan.pulls)} tenants to "
            f"{out}; failed: {', '.join(failed)}"
        )
        _say(f"continue with: {_resume_command()}")
    elif not options.quiet:
        _say(
            f"pulled {total.records:,} records ({total.pages:,} pages) from {pulled} tenants "
            f"({api} {options.resource}) in {_seconds(total)} to {out}"
        )
    return code


def _checkpoint_for(
    out: str | None, append: bool, fmt: Format, table: str, resume: bool
) -> str | None:
    """FILE.checkpoint (FILE.TABLE.checkpoint for DuckDB) for a pull into a file; an
    unfinished pull's checkpoint without --resume is reported, never overwritten."""
    from .._checkpoint import Checkpoint

    if out in (None, "-") or _is_special(out) or (append and fmt == "csv"):
        if resume:
            raise _Failure(
                EXIT_CONFIG,
                "configuration error: --resume needs --out FILE (not stdout or a FIFO; "
                "not a CSV file appended to)",
            )
        return None
    # Pulls of several resources into one database each have their own checkpoint.
    path = f"{out}.{table}.checkpoint" if fmt == "duckdb" else f"{out}.checkpoint"
    saved = _explained(lambda: Checkpoint.read(path))
    if saved is not None and not resume:
        raise _Failure(
            EXIT_CONFIG,
            f"{path} records an unfinished pull ({saved.records:,} records so far); "
            f"continue it with: {_resume_command()} (or delete {path} to start over)",
        )
    return path


def _is_special(path: str) -> bool:
    from ..sinks._files import is_special

    return is_special(path)


def _resume_command() -> str:
    # The arguments main() was given (they are not sys.argv when it is called in-process).
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    argv = obj.get("argv") if isinstance(obj, dict) else None
    args = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--resume"]
    return shlex.join(["revclient", *args, "--resume"])


def _say_resume(checkpoint: str | None) -> None:
    if checkpoint is not None and os.path.exists(checkpoint):
        _say(f"continue with: {_resume_command()}")


def _explained(make: Callable[[], Any]) -> Any:
    # Building a sink or reading a checkpoint: only the configuration can be wrong.
    try:
        return make()
    except ConfigurationError as exc:
        raise _Failure(EXIT_CONFIG, f"configuration error: {exc}") from None


def _silence_stdout() -> None:
    # Point stdout at devnull so the interpreter's final flush does not complain.
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _seconds(stats: PullStats) -> str:
    return f"{stats.elapsed:.1f}s"


@cli.command()
@click.argument("api", type=_API)
@click.argument("resource")
@click.argument("item_id", metavar="ID")
@click.option("--sandbox", is_flag=True, help="Read from an in-process sandbox (see pull).")
def get(api: Api, resource: str, item_id: str, sandbox: bool) -> int:
    """Print one record (e.g. rev23 customers 42) as JSON, as the server sent it."""
    from ._pull import fetch_one, make_client, run_interruptible, sandbox_for_demo

    label: list[str] = []

    async def main(interrupted: Callable[[], int]) -> dict[str, Any]:
        async with contextlib.AsyncExitStack() as stack:
            sb = await stack.enter_async_context(sandbox_for_demo()) if sandbox else None
            client = make_client(api, sandbox=sb, backend=None)
            stack.push_async_callback(client.aclose)
            label.append(client.key_label)
            return await fetch_one(client, api, resource, item_id)

    try:
        record = run_interruptible(main)
    except (KeyboardInterrupt, asyncio.CancelledError):
        return EXIT_INTERRUPTED
    except Exception as exc:
        raise _explain(exc, api, label[0] if label else None, sandbox) from None
    click.echo(json.dumps(record, indent=2, ensure_ascii=False, default=str))
    return EXIT_OK


def _parse_rate(_ctx: click.Context, _param: click.Parameter, value: str) -> Any:
    if value.lower() == "none":
        return None
    limit, sep, period = value.partition("/")
    try:
        parsed = (int(limit), float(period))
    except ValueError:
        parsed = (0, 0.0)
    if not sep or parsed[0] < 1 or parsed[1] <= 0:
        raise click.BadParameter(f"expected LIMIT/SECONDS such as 200/60, or none; got {value!r}")
    return parsed


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8023,
    show_default=True,
    help="Port (0 picks a free one).",
)
@click.option(
    "--records",
    type=click.IntRange(min=0),
    default=250,
    show_default=True,
    help="Seeded records per collection.",
)
@click.option(
    "--latency", type=click.FloatRange(min=0), default=0.0, help="Seconds added to each answer."
)
@click.option(
    "--rate-limit",
    default="200/60",
    show_default=True,
    callback=_parse_rate,
    help="Per-key limit as LIMIT/SECONDS (as REV23 documents), or none.",
)
@click.option(
    "--seed",
    default="0",
    show_default=True,
    help="Derives the demo keys: the same seed prints the same keys at every start.",
)
@click.option("--random-keys", is_flag=True, help="Fresh random demo keys instead of the seed's.")
@click.option(
    "--token-ttl",
    type=click.FloatRange(min=0, min_open=True),
    default=3600.0,
    show_default=True,
    help="Seconds a Rev.io PSA JWT stays valid (a short one shows the re-exchange on 401).",
)
def sandbox(
    host: str,
    port: int,
    records: int,
    latency: float,
    rate_limit: Any,
    seed: str,
    random_keys: bool,
    token_ttl: float,
) -> int:
    """Serve a local fake of both APIs until Ctrl-C, and print how to point revclient at it.

    The printed keys are throwaway demo credentials for this sandbox only; they derive from
    --seed, so an environment exported once keeps working after a restart.
    """
    from ..testing import Sandbox

    sb = Sandbox(
        host=host,
        port=port,
        records=records,
        latency=latency,
        rate_limit=rate_limit,
        token_ttl=token_ttl,
        seed=None if random_keys else seed,
    )

    async def serve() -> None:
        try:
            await sb.start()
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise _Failure(EXIT_CONFIG, f"cannot listen on {host}:{port}: {reason}") from None
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        # Handled explicitly: a shell starts background jobs with SIGINT ignored, and
        # SIGTERM (service managers, `kill`) should stop the server just as cleanly.
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, task.cancel)
        try:
            lines = [
                f"revclient sandbox: REV23 Cloud and Rev.io PSA APIs at {sb.url} (Ctrl-C to stop)",
                "Use it from another shell:",
                f"export REV23_BASE_URL={sb.url}",
                f"export REV23_API_KEY={sb.rev23_api_key}",
                f"export REV23_TENANT={sb.rev23_tenant}",
                f"export REVIO_BASE_URL={sb.url}",
                f"export REVIO_API_KEY={sb.revio_api_key}",
                f"export REVIO_HOST={sb.revio_host}",
                "revclient pull rev23 customers --out customers.jsonl",
            ]
            click.echo("\n".join(lines))
            sys.stdout.flush()
            with contextlib.suppress(asyncio.CancelledError):
                await sb.serve_forever()
        finally:
            await sb.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())
    click.echo("revclient sandbox: stopped", err=True)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``revclient`` console script: run, print one line on error, exit."""
    try:
        args = list(sys.argv[1:] if argv is None else argv)
        result = cli.main(
            args=args, prog_name="revclient", standalone_mode=False, obj={"argv": args}
        )
        code = result if isinstance(result, int) else EXIT_OK
    except _Failure as exc:
        _say(exc.message)
        code = exc.code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        _say("interrupted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (e.g. `| head`): not an error of ours
        code = EXIT_OK
    except Exception as exc:
        if os.environ.get("REVCLIENT_DEBUG"):
            raise
        _say(f"unexpected error: {type(exc).__name__}: {exc} (set REVCLIENT_DEBUG=1 for details)")
        code = EXIT_UNEXPECTED
    sys.exit(code)
