"""Generate the resources, models and sync twins of each API from its spec.

``python -m revclient._codegen`` rewrites ``revclient/<api>/_models.py``, ``_resources.py``
and ``_sync_resources.py`` from ``revclient/specs/<api>.toml``; ``--check`` writes nothing
and exits 1 with a summary when the committed files differ from what the specs produce.
The specs are read and validated by ``revclient._spec``; this module renders them. The
output is tidied by ``ruff check --fix`` (imports) and ``ruff format``.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

from ._spec import (
    APIS,
    PACKAGE,
    PATH_PARAM,
    PER_CALL_PARAMS,
    SCALAR_TYPES,
    Endpoint,
    Spec,
    SpecError,
    load_spec,
    ordered_models,
    param_names,
)

__all__ = ["generate", "main", "render"]

LINE = 100


def _forward(params: Iterable[str]) -> str:
    """Parameters -> the arguments that pass them on (``name=name``), joined by commas."""
    return ", ".join(f"{n}={n}" for n in param_names(params))


_PER_CALL = _forward(PER_CALL_PARAMS)


# ------------------------------------------------------------------ text


def _doc(text: str, indent: int) -> str:
    """A docstring block (indented, ending in a newline) wrapped to the line length."""
    pad = " " * indent
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip()]
    lines: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        width = LINE - indent - (3 if i == 0 else 0) - (3 if i == len(paragraphs) - 1 else 0)
        lines.extend(textwrap.wrap(para, width=width, break_on_hyphens=False) or [""])
    if len(lines) == 1:
        return f'{pad}"""{lines[0]}"""\n'
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return f'{pad}"""{lines[0]}\n{body}\n{pad}"""\n'


def _method_doc(spec: Spec, ep: Endpoint, *, sync: bool) -> str:
    """A method's docstring: what it calls and on what evidence, then how to use it."""
    return "\n\n".join([ep.summary, *_evidence(spec, ep), *_usage(spec, ep, sync=sync)])


def _evidence(spec: Spec, ep: Endpoint) -> list[str]:
    """The paragraphs on the endpoint and where it (and each field) is documented or seen."""
    where = f"``{ep.method} {ep.path}``"
    if ep.service:
        where += f' on the ``"{ep.service}"`` service\'s base URL'
    if ep.status == "documented":
        status = f"Documented: {ep.source}."
    elif ep.status == "observed":
        seen = "; ".join(f"[{i}] {spec.sources[n].cited()}" for i, n in enumerate(ep.seen, 1))
        source = f" ({ep.source})" if ep.source else ""
        status = f"Observed in public third-party code, not documented{source}; seen in {seen}."
    else:
        status = f"Inferred, neither documented nor observed ({ep.source}); it may not exist."
    if ep.permission:
        status += f" Needs the ``{ep.permission}`` permission."
    parts = [f"{where}. {status}"]
    if ep.note:
        parts.append(ep.note)
    if ep.status == "observed" and ep.fields:
        # Where each field was seen, by the endpoint's source numbers ([1]), or that it was not.
        described = []
        for f in ep.fields:
            refs = "".join(f"[{ep.seen.index(n) + 1}]" for n in f.seen if n in ep.seen)
            others = ", ".join(n for n in f.seen if n not in ep.seen)
            found = " ".join(filter(None, [refs, others])) or "(not observed)"
            described.append(f"``{f.wire}`` {found}")
        sent = ", ".join(described)
        parts.append(f"Fields on the wire, and where public code sends them: {sent}.")
    return parts


def _usage(spec: Spec, ep: Endpoint, *, sync: bool) -> list[str]:
    """The paragraphs on paging, the body's casing, an empty answer and the per-call options."""
    parts = []
    if ep.max_page_size:
        parts.append(f"``page_size`` is clamped to {ep.max_page_size}, as public callers do.")
    use = (
        f"Iterate the result for every {ep.response}, or call ``.pages()`` or ``.first_page()``"
        if sync
        else f"Await the result for the first page, or iterate it for every {ep.response}"
    )
    verbatim = "``params`` adds query parameters verbatim."
    if ep.pagination == "page":
        parts.append(
            f"Paged by ``{spec.api.page_param}``/``{spec.api.size_param}``. {use}; "
            f"``concurrency`` pages are fetched at a time, in order. {verbatim}"
        )
    elif ep.pagination == "cursor":
        parts.append(f"Paged by a ``{spec.api.cursor_param}`` cursor. {use}. {verbatim}")
    elif ep.method == "GET":
        parts.append(verbatim)
    rest = (
        "``None`` values are left out and ``extra`` is merged in verbatim, for fields this "
        "method does not know."
    )
    resource = spec.resources.get(ep.resource)
    if ep.body is not None and resource:
        parts.append(
            f"Arguments go on the wire in {resource.body_casing} case by default, because "
            f'{resource.note} Choose with the client option ``body_casing={{"{ep.resource}": '
            f'"camel" | "snake" | "pascal"}}``. {rest}'
        )
    elif ep.body is not None:
        parts.append(f"Arguments go on the wire in camelCase; {rest[0].lower()}{rest[1:]}")
    if ep.empty_response == "ok":
        parts.append(f"An empty answer gives an empty ``{ep.response}``.")
    elif ep.empty_response == "none" and ep.response:
        parts.append("Returns ``None`` when the server answers with an empty body.")
    s = "s" if ep.pagination else ""
    parts.append(
        f"``extra_headers`` and ``extra_query`` add to this call's request{s}; ``timeout`` and "
        '``priority`` (``"bulk"`` for pulls) replace the client\'s for it.'
    )
    return parts


# ------------------------------------------------------------------ templates


def _header(spec: Spec, what: str, imports: str) -> str:
    """The generated-file comment, the module docstring and the (fixed) import block."""
    return (
        f"# generated from {spec.source_name} by revclient._codegen; do not edit\n"
        f'"""{spec.api.title}: {what} (generated)."""\n\n{imports}'
    )


# Every name a generated module may need; ``ruff check --fix`` drops the unused ones.
_IMPORTS = """from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .._models import Id, Model, fields_last, register_models
from .._models import nothing, one, one_or_empty, optional, wire_body
from .._options import NOT_GIVEN, NotGiven, Priority
from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator, SyncPaginator
from .._transport import Transport, encode_path, to_raw_response, to_raw_response_sync
"""


def render_models(spec: Spec) -> str:
    """The ``_models.py`` module of one API."""
    models = ordered_models(spec)
    out = [
        _header(spec, "response models", _IMPORTS + "\n"),
        f"__all__ = {sorted(models)!r}\n",
    ]
    for name, model in models.items():
        out.append(
            f"\n\n@attrs.define(kw_only=True, field_transformer=fields_last)\n"
            f"class {name}(Model):\n{_doc(model.doc, 4)}\n"
        )
        for f in model.fields:
            # A spec type (also inside list[...]) -> its annotation; a model's name stays.
            typ = re.sub(r"\w+", lambda m: SCALAR_TYPES.get(m[0], (m[0],))[0], f.type)
            out.append(f"    {f.attr}: {typ} | None = None\n")
            # An attribute docstring (documentation tools read these): where public code shows it.
            doc = f.doc.rstrip(".") + "." if f.doc else ""
            if f.seen:
                doc += " Seen in " + ", ".join(str(spec.sources[n]) for n in f.seen) + "."
            elif spec.sources:  # a spec that records evidence says so of every field
                doc += " Not observed in public code."
            if doc:
                out.append(_doc(doc, 4))
    out.append(f"\n\nregister_models({', '.join(models)})\n")
    return "".join(out)


def _signature(ep: Endpoint) -> tuple[str, str]:
    """(the parameters, the arguments the sync twin forwards), each joined by commas."""
    kw = [
        f"{f.attr}: {SCALAR_TYPES[f.type][1]}{'' if f.required else ' | None = None'}"
        for f in ep.fields
    ]
    if ep.body is not None:
        kw.append("extra: Mapping[str, Any] | None = None")
    if ep.pagination:
        kw.append("page_size: int | None = None")
        if ep.pagination == "page":
            kw.append("concurrency: int = 1")
        kw.append("max_pages: int = DEFAULT_MAX_PAGES")
    if ep.pagination or ep.method == "GET":
        kw.append("params: Mapping[str, Any] | None = None")
    kw += PER_CALL_PARAMS
    decl = ", ".join(["self", *(f"{p}: int | str" for p in ep.params), "*", *kw])
    return decl, ", ".join([*ep.params, _forward(kw)])


def _method(spec: Spec, ep: Endpoint, *, sync: bool) -> str:
    """One endpoint's method, from the template of its kind: the blocking twin (the async method
    through the portal), a list (a plain method returning a paginator), or any other endpoint
    (get, create, update, delete: one ``Transport._call``)."""
    decl, fwd = _signature(ep)
    if ep.pagination:
        returns = f"{'Sync' if sync else 'Async'}Paginator[{ep.response}]"
    elif ep.response and ep.empty_response == "none":
        returns = f"{ep.response} | None"
    else:
        returns = ep.response or "None"
    head = f"def {ep.name}({decl}) -> {returns}:\n{_doc(_method_doc(spec, ep, sync=sync), 8)}"
    if sync:
        call = f"self._portal.call(self._async.{ep.name}, {fwd})"
        if ep.pagination:
            call = f"SyncPaginator(self._portal, self._async.{ep.name}({fwd}))"
        return f"\n    {head}        return {call}\n"
    path = f'"{ep.path}"'
    if ep.params:
        path = f'encode_path("{PATH_PARAM.sub("{}", ep.path)}", {", ".join(ep.params)})'
    query = "params"
    if ep.query:
        query = "{" + "".join(f'"{f.wire}": {f.attr}, ' for f in ep.query) + "**(params or {})}"
    service = f'service="{ep.service}",' if ep.service else ""
    where = f'op="{ep.resource}.{ep.name}", template="{ep.path}",'
    if ep.pagination:
        api = spec.api
        style = f'page_param="{api.page_param}",'
        if ep.pagination == "cursor":
            style = f'style="cursor", cursor_param="{api.cursor_param}",'
        concurrency = "concurrency=concurrency," if ep.pagination == "page" else ""
        size = "page_size"
        if ep.max_page_size:
            size = f"page_size if page_size is None else min(page_size, {ep.max_page_size})"
        return f"""
    {head}        return AsyncPaginator(
            self._transport, {path}, {ep.response}, params={query}, {style}
            size_param="{api.size_param}", page_size={size}, {concurrency}
            max_pages=max_pages, {service}
            {_PER_CALL}, {where}
        )
"""
    cast = "nothing"
    if ep.response:
        cast = {"none": "optional", "ok": "one_or_empty", "error": "one"}[ep.empty_response]
        cast += f"({ep.response})"
    params = f"params={query}," if ep.method == "GET" else ""
    body = ""
    if ep.body is not None:
        pairs = ", ".join(f'"{f.wire}": {f.attr}' for f in ep.body)
        casing = ""
        if ep.resource in spec.resources:
            casing = f', casing=self._transport._casing("{ep.resource}")'
        body = f"json=wire_body({{{pairs}}}, extra{casing}),"
    # A delete returns too: on the raw transport its result is the APIResponse.
    return f"""
    async {head}        return await self._transport._call(
            "{ep.method}", {path}, {cast}, {params} {body} {_PER_CALL}, {where} {service}
        )
"""


def _class(name: str, doc: str, init: str, sets: dict[str, str], *, typed: bool = False) -> str:
    """A class whose ``__init__(self, init)`` sets ``sets`` (attribute -> expression); ``typed``
    declares each attribute first, as the class its expression builds."""
    types = "".join(f"    {a}: {v.split('(')[0]}\n" for a, v in sets.items() if typed)
    # A resource of lists only has an empty raw twin: its pages carry ``page.response``.
    body = "".join(f"        self.{a} = {v}\n" for a, v in sets.items()) or "        pass\n"
    return f"""

class {name}:
{_doc(doc, 4)}
{types}
    def __init__(self, {init}) -> None:
{body}"""


def render_resources(spec: Spec, *, sync: bool = False) -> str:
    """The ``_resources.py`` module of one API, or with ``sync`` its ``_sync_resources.py``.

    Each class has a ``WithRawResponse`` twin: its methods (not the lists, whose pages carry
    ``page.response``) typed to return ``APIResponse``. At run time each is the plain method
    of a resource built on the raw transport.
    """
    top, title = spec.api.class_name, spec.api.title
    groups: dict[str, list[Endpoint]] = {}
    for ep in spec.endpoints:
        groups.setdefault(ep.resource, []).append(ep)
    names = {r: "".join(w.capitalize() for w in r.split("_")) + "Resource" for r in groups}
    # The models need no postponed annotations: cattrs reads them at run time.
    imports = "from __future__ import annotations\n\n" + _IMPORTS
    imports += f"from ._models import {', '.join(spec.models)}\n"
    if sync:
        p, wrap, init = "Sync", "to_raw_response_sync", f"portal: Portal, resources: {top}"
        build = {r: f"Sync{c}(portal, resources.{r})" for r, c in names.items()}
        # Only for type checkers: importing the portal (and anyio) waits for the first sync call.
        imports += f"from ._resources import {', '.join([top, *names.values()])}\n\n"
        imports += "if TYPE_CHECKING:\n    from .._portal import Portal\n"
        out = [_header(spec, "blocking resources, driven through an anyio portal", imports)]
        top_doc = f"Blocking twin of :class:`{top}`."
    else:
        p, wrap, init = "", "to_raw_response", "transport: Transport"
        build = {r: f"{c}(transport)" for r, c in names.items()}
        out = [_header(spec, "async resources", imports)]
        top_doc = (
            f"The {title}'s resources, one attribute each; the client inherits them and passes "
            "itself as the transport."
        )
    public = [f"{p}{c}{raw}" for c in (top, *names.values()) for raw in ("", "WithRawResponse")]
    out.append(f"\n__all__ = {sorted(public + ([] if sync else ['BODY_CASINGS']))!r}\n")
    if not sync:
        casings = {r: c.body_casing for r, c in spec.resources.items()}
        out.append(
            "\n#: Resources whose request bodies' wire casing is configurable (the client option\n"
            "#: ``body_casing=``), with their default: where public code disagrees.\n"
            f"BODY_CASINGS: dict[str, str] = {casings!r}\n"
        )
    for r, endpoints in groups.items():
        c = names[r]
        if sync:
            doc, args = f"Blocking twin of :class:`{c}`.", f"portal: Portal, resource: {c}"
            out.append(_class(p + c, doc, args, {"_portal": "portal", "_async": "resource"}))
        else:
            doc = f"{title}: {r.replace('_', ' ')}."
            out.append(_class(c, doc, "transport: Transport", {"_transport": "transport"}))
        out += [_method(spec, ep, sync=sync) for ep in endpoints]
    out.append(_class(f"{p}{top}", top_doc, init, build, typed=True))
    for r, endpoints in groups.items():
        c = f"{p}{names[r]}"
        doc = f":class:`{c}` whose methods return :class:`~revclient.APIResponse`."
        raw = {ep.name: f"{wrap}(resource.{ep.name})" for ep in endpoints if not ep.pagination}
        out.append(_class(f"{c}WithRawResponse", doc, f"resource: {c}", raw))
    doc = "The resources of ``with_raw_response``, built on its transport."
    raw = {r: f"{p}{names[r]}WithRawResponse({b})" for r, b in build.items()}
    out.append(_class(f"{p}{top}WithRawResponse", doc, init, raw, typed=True))
    return "".join(out)


# ------------------------------------------------------------------ driver


def _ruff(source: str, filename: str) -> str:
    """Drop the fixed import block's unused names, sort what is left, and format."""
    # --isolated + explicit settings: the output must not depend on where it is run from. The
    # merged import lines fit again once unused names go: no trailing comma may keep them split.
    common = ["--isolated", f"--line-length={LINE}", "--target-version=py311"]
    fix = ["--select=I,F401", "--fix", "--exit-zero", "--quiet"]
    fix.append("--config=lint.isort.split-on-trailing-comma=false")
    for step in (["check", *fix], ["format"]):
        cmd = [sys.executable, "-m", "ruff", *step, *common, f"--stdin-filename={filename}", "-"]
        try:
            done = subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)
        except OSError as exc:  # pragma: no cover - ruff is a dev dependency
            raise SystemExit(f"cannot run ruff ({exc}); install revclient[dev]") from exc
        if done.returncode != 0:
            raise SystemExit(f"ruff {step[0]} failed on {filename}:\n{done.stderr}")
        source = done.stdout
    return source


def render(spec: Spec) -> dict[str, str]:
    """Every output file of one spec: relative path -> formatted source."""
    files = {
        f"{spec.api.name}/_models.py": render_models(spec),
        f"{spec.api.name}/_resources.py": render_resources(spec),
        f"{spec.api.name}/_sync_resources.py": render_resources(spec, sync=True),
    }
    return {path: _ruff(src, path) for path, src in files.items()}


def generate(package: Path = PACKAGE, apis: Iterable[str] = APIS) -> dict[Path, str]:
    """What the committed files should contain: absolute path -> source."""
    out: dict[Path, str] = {}
    for api in apis:
        spec = load_spec(package / "specs" / f"{api}.toml")
        for rel, text in render(spec).items():
            out[package / rel] = text
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write the generated files, or ``--check`` them."""
    parser = argparse.ArgumentParser(prog="python -m revclient._codegen", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed output differs"
    )
    parser.add_argument("--package", type=Path, default=PACKAGE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        wanted = generate(args.package)
    except SpecError as exc:
        print(f"invalid spec: {exc}", file=sys.stderr)
        return 2
    stale = 0
    for path, text in wanted.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale += 1
        rel = path.relative_to(args.package.parent)
        if not args.check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
        elif current is None:
            print(f"{rel}: missing")
        else:
            old, new = current.splitlines(), text.splitlines()
            names = f"{rel} (committed)", f"{rel} (from spec)"
            diff = [*difflib.unified_diff(old, new, *names, lineterm="", n=1)]
            changed = sum(1 for d in diff[2:] if d[:1] in "+-")  # [2:]: not the file names
            print(f"{rel}: {changed} line(s) differ\n" + "\n".join(diff[:40]))
    if args.check and stale:
        print(
            f"{stale} generated file(s) out of date; run `python -m revclient._codegen`",
            file=sys.stderr,
        )
        return 1
    if not stale:
        print("generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
