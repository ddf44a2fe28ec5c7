"""Generate the resources, models and sync twins of each API from its spec.

``python -m revclient._codegen`` rewrites ``revclient/<api>/_models.py``, ``_resources.py``
and ``_sync_resources.py`` from ``revclient/specs/<api>.toml``; ``--check`` writes nothing
and exits 1 with a summary when the committed files differ from what the specs produce.
The output is passed through ``ruff format`` so that it is committed formatted.
"""

from __future__ import annotations

import argparse
import difflib
import keyword
import re
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._models import camel

__all__ = ["Spec", "generate", "load_spec", "main", "render"]

PACKAGE = Path(__file__).resolve().parent
SPECS = PACKAGE / "specs"
APIS = ("rev23", "revio")
STATUSES = ("documented", "observed", "inferred")
LINE = 100

# Spec field type -> (model annotation, argument annotation)
_SCALAR_TYPES: dict[str, tuple[str, str]] = {
    "id": ("Id", "int | str"),
    "user_id": ("str", "str"),
    "str": ("str", "str"),
    "int": ("int", "int"),
    "bool": ("bool", "bool"),
    "decimal": ("Decimal", "Decimal | str"),
    "float": ("float", "float"),
    "date": ("date", "date | str"),
    "datetime": ("datetime", "datetime | str"),
    "object": ("dict[str, Any]", "Mapping[str, Any]"),
    "array": ("list[Any]", "Sequence[Any]"),
}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED_ARGS = frozenset(
    {"self", "extra", "params", "page_size", "concurrency", "max_pages", "body"}
)
#: How a resource's request bodies may be cased on the wire (see ``wire_body``).
CASINGS = ("camel", "snake", "pascal")
# A wire name the generated code can put in a string literal as it is.
_WIRE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SpecError(ValueError):
    """The spec is inconsistent; the message names the offending entry."""


def snake(name: str) -> str:
    """``customerId`` -> ``customer_id``; ``ticket-list`` -> ``ticket_list``."""
    name = name.replace("-", "_")
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name).lower()


# ------------------------------------------------------------------ spec


@dataclass(frozen=True)
class Source:
    """Where public code shows an endpoint or a field: a repository and a file in it."""

    repo: str
    file: str
    note: str = ""

    def __str__(self) -> str:
        return f"{self.repo} ``{self.file}``"


@dataclass
class Field:
    """One model field or body argument."""

    wire: str
    type: str
    doc: str = ""
    required: bool = False
    #: Names of the spec's ``[sources]`` that show this field.
    seen: list[str] = field(default_factory=list)
    #: The Python name when ``snake(wire)`` cannot be one (``from`` -> ``date_from``).
    arg: str | None = None

    @property
    def attr(self) -> str:
        return self.arg or snake(self.wire)


@dataclass
class Model:
    """One response model."""

    name: str
    doc: str
    fields: list[Field]


@dataclass
class Endpoint:
    """One endpoint: a method of a resource class."""

    resource: str
    name: str
    summary: str
    method: str
    path: str
    status: str
    source: str
    response: str | None = None
    pagination: str | None = None
    service: str | None = None
    permission: str | None = None
    empty_response: str = "error"
    path_params: list[tuple[str, str]] = field(default_factory=list)  # (wire, python)
    query: list[Field] = field(default_factory=list)
    body: list[Field] | None = None
    #: Names of the spec's ``[sources]`` that call this endpoint.
    seen: list[str] = field(default_factory=list)
    #: A paragraph for the docstring: what the evidence says beyond the shape.
    note: str = ""
    #: The largest page size the endpoint takes (``page_size`` is clamped to it).
    max_page_size: int | None = None


@dataclass
class Spec:
    """A parsed and validated spec file."""

    api: str
    title: str
    class_name: str
    page_param: str
    size_param: str
    cursor_param: str
    models: dict[str, Model]
    endpoints: list[Endpoint]
    source_name: str = ""
    sources: dict[str, Source] = field(default_factory=dict)
    #: Resource -> default wire casing of its bodies, for resources whose evidence conflicts.
    body_casings: dict[str, str] = field(default_factory=dict)
    #: Resource -> why its casing is configurable (the conflicting evidence).
    casing_notes: dict[str, str] = field(default_factory=dict)


def load_spec(path: Path) -> Spec:
    """Read and validate one spec file."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    spec = parse_spec(raw)
    spec.source_name = f"specs/{path.name}"
    return spec


def _fields(
    entries: Iterable[Mapping[str, Any]], where: str, sources: Mapping[str, Source]
) -> list[Field]:
    out = []
    for entry in entries:
        unknown = set(entry) - {"wire", "type", "doc", "required", "seen", "arg"}
        if unknown:
            raise SpecError(f"{where}: unknown keys {sorted(unknown)}")
        f = Field(
            wire=entry["wire"],
            type=entry["type"],
            doc=entry.get("doc", ""),
            required=bool(entry.get("required", False)),
            seen=_seen(entry.get("seen", []), sources, f"{where}.{entry['wire']}"),
            arg=entry.get("arg"),
        )
        if f.arg is not None:
            if not _WIRE.match(f.wire):
                raise SpecError(f"{where}: wire name {f.wire!r} is not a plain name")
            if not _IDENT.match(f.arg) or keyword.iskeyword(f.arg):
                raise SpecError(f"{where}: arg {f.arg!r} is not a Python name")
        elif not _IDENT.match(f.attr) or camel(f.attr) != f.wire or keyword.iskeyword(f.attr):
            raise SpecError(
                f"{where}: wire name {f.wire!r} is not plain camelCase (give it an arg= name)"
            )
        out.append(f)
    names = [f.attr for f in out]
    if len(set(names)) != len(names):
        raise SpecError(f"{where}: duplicate field names")
    return out


def _seen(names: object, sources: Mapping[str, Source], where: str) -> list[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SpecError(f"{where}: seen must be a list of source names")
    unknown = [n for n in names if n not in sources]
    if unknown:
        raise SpecError(f"{where}: seen names unknown sources {unknown}; see [sources]")
    return list(names)


def _sources(raw: Mapping[str, Any]) -> dict[str, Source]:
    out = {}
    for name, entry in raw.items():
        if not isinstance(entry, Mapping) or set(entry) - {"repo", "file", "note"}:
            raise SpecError(f"sources.{name}: a table of repo, file and an optional note")
        if not entry.get("repo") or not entry.get("file"):
            raise SpecError(f"sources.{name}: repo and file are required")
        out[name] = Source(entry["repo"], entry["file"], entry.get("note", ""))
    return out


def parse_spec(raw: Mapping[str, Any]) -> Spec:
    """Validate a spec's parsed TOML (separate from :func:`load_spec` for tests)."""
    api = raw["api"]
    sources = _sources(raw.get("sources", {}))
    models: dict[str, Model] = {}
    for name, entry in raw.get("models", {}).items():
        if not _IDENT.match(name) or not name[0].isupper():
            raise SpecError(f"model name {name!r} must be a CapWords identifier")
        fields = _fields(entry["fields"], name, sources)
        models[name] = Model(name, entry.get("doc", ""), fields)
    for model in models.values():
        for f in model.fields:
            _check_type(f.type, models, f"{model.name}.{f.wire}")
            if f.attr in ("extra", "raw"):
                raise SpecError(f"{model.name}: field name {f.attr!r} is reserved")
    endpoints = []
    for entry in raw.get("endpoints", []):
        where = f"{entry.get('resource')}.{entry.get('name')}"
        known = {
            "resource", "name", "summary", "method", "path", "status", "source", "response",
            "pagination", "service", "permission", "empty_response", "path_params", "query",
            "body", "seen", "note", "max_page_size",
        }  # fmt: skip
        if set(entry) - known:
            raise SpecError(f"{where}: unknown keys {sorted(set(entry) - known)}")
        renames = entry.get("path_params", {})
        wires = re.findall(r"{([^}]+)}", entry["path"])
        if set(renames) - set(wires):
            raise SpecError(f"{where}: path_params names not in the path")
        ep = Endpoint(
            resource=entry["resource"],
            name=entry["name"],
            summary=entry["summary"],
            method=entry["method"].upper(),
            path=entry["path"],
            status=entry["status"],
            source=entry.get("source", ""),
            response=entry.get("response"),
            pagination=entry.get("pagination"),
            service=entry.get("service"),
            permission=entry.get("permission"),
            empty_response=entry.get("empty_response", "error"),
            path_params=[(w, renames.get(w, snake(w))) for w in wires],
            query=_fields(entry.get("query", []), where, sources),
            body=_fields(entry["body"], where, sources) if "body" in entry else None,
            seen=_seen(entry.get("seen", []), sources, where),
            note=entry.get("note", ""),
            max_page_size=entry.get("max_page_size"),
        )
        if ep.status == "observed" and not ep.seen:
            raise SpecError(f"{where}: an observed endpoint names where it was seen (seen=)")
        if ep.status != "observed" and not ep.source:
            raise SpecError(f"{where}: a documented or inferred endpoint needs a source")
        if ep.max_page_size is not None and (
            not ep.pagination or type(ep.max_page_size) is not int or ep.max_page_size < 1
        ):
            raise SpecError(f"{where}: max_page_size is a positive int, on a paginated endpoint")
        if ep.status not in STATUSES:
            raise SpecError(f"{where}: status must be one of {STATUSES}")
        if ep.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            raise SpecError(f"{where}: unsupported method {ep.method}")
        if ep.pagination not in (None, "page", "cursor"):
            raise SpecError(f"{where}: pagination must be 'page' or 'cursor'")
        if ep.empty_response not in ("error", "ok", "none"):
            raise SpecError(f"{where}: empty_response must be 'error', 'ok' or 'none'")
        if ep.response is not None and ep.response not in models:
            raise SpecError(f"{where}: unknown response model {ep.response!r}")
        if ep.pagination and ep.response is None:
            raise SpecError(f"{where}: a paginated endpoint needs a response model")
        args = [p for _, p in ep.path_params] + [f.attr for f in ep.query + (ep.body or [])]
        for arg in args:
            if not _IDENT.match(arg) or arg in _RESERVED_ARGS:
                raise SpecError(f"{where}: argument name {arg!r} is invalid or reserved")
        if len(set(args)) != len(args):
            raise SpecError(f"{where}: duplicate argument names")
        for f in ep.query + (ep.body or []):
            _check_type(f.type, {}, f"{where}.{f.wire}")
        endpoints.append(ep)
    seen = {(e.resource, e.name) for e in endpoints}
    if len(seen) != len(endpoints):
        raise SpecError("duplicate endpoint (resource, name)")
    casings: dict[str, str] = {}
    notes: dict[str, str] = {}
    for resource, entry in raw.get("resources", {}).items():
        if resource not in {e.resource for e in endpoints} or set(entry) - {"body_casing", "note"}:
            raise SpecError(f"resources.{resource}: a known resource, with body_casing and note")
        if entry.get("body_casing") not in CASINGS or not entry.get("note"):
            raise SpecError(f"resources.{resource}: body_casing in {CASINGS}, and a note why")
        casings[resource], notes[resource] = entry["body_casing"], entry["note"]
    return Spec(
        api=api["name"],
        title=api["title"],
        class_name=api["class_name"],
        page_param=api.get("page_param", "page"),
        size_param=api.get("size_param", "pageSize"),
        cursor_param=api.get("cursor_param", "nextCursor"),
        models=models,
        endpoints=endpoints,
        sources=sources,
        body_casings=casings,
        casing_notes=notes,
    )


def _check_type(typ: str, models: Mapping[str, Model], where: str) -> None:
    inner = typ[5:-1] if typ.startswith("list[") and typ.endswith("]") else typ
    if inner not in _SCALAR_TYPES and inner not in models:
        raise SpecError(f"{where}: unknown type {typ!r}")


def _model_annotation(typ: str) -> str:
    if typ.startswith("list["):
        return f"list[{_model_annotation(typ[5:-1])}]"
    return _SCALAR_TYPES[typ][0] if typ in _SCALAR_TYPES else typ


# ------------------------------------------------------------------ rendering helpers


def _header(spec: Spec, what: str) -> str:
    return (
        f"# generated from {spec.source_name} by revclient._codegen; do not edit\n"
        f'"""{spec.title}: {what} (generated)."""\n\n'
    )


def _doc(text: str, indent: int) -> str:
    """A docstring block (already indented) wrapped to the line length."""
    pad = " " * indent
    paragraphs = [p.strip() for p in text.strip().split("\n\n") if p.strip()]
    lines: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        width = LINE - indent - (3 if i == 0 else 0) - (3 if i == len(paragraphs) - 1 else 0)
        lines.extend(
            textwrap.wrap(" ".join(para.split()), width=width, break_on_hyphens=False) or [""]
        )
    if len(lines) == 1:
        return f'{pad}"""{lines[0]}"""\n'
    body = "\n".join(f"{pad}{line}" if line else "" for line in lines[1:])
    return f'{pad}"""{lines[0]}\n{body}\n{pad}"""\n'


def _status_text(spec: Spec, ep: Endpoint) -> str:
    if ep.status == "documented":
        return f"Documented: {ep.source}."
    if ep.status == "observed":
        where = "; ".join(f"[{i}] {spec.sources[n]}" for i, n in enumerate(ep.seen, 1))
        extra = f" ({ep.source})" if ep.source else ""
        return f"Observed in public third-party code, not documented{extra}; seen in {where}."
    return f"Inferred, neither documented nor observed ({ep.source}); it may not exist."


def _fields_text(ep: Endpoint) -> str:
    """Where each body or query field of an observed endpoint was seen, by the endpoint's
    source numbers (``[1]``), or that it was not."""
    described = []
    for f in (ep.body or []) + ep.query:
        refs = "".join(f"[{ep.seen.index(n) + 1}]" for n in f.seen if n in ep.seen)
        others = [n for n in f.seen if n not in ep.seen]
        where = refs + (" " if refs and others else "") + ", ".join(others)
        described.append(f"``{f.wire}`` {where or '(not observed)'}")
    return "Fields on the wire, and where public code sends them: " + ", ".join(described) + "."


def _resource_class(resource: str) -> str:
    return "".join(part.capitalize() for part in resource.split("_")) + "Resource"


def _resources(spec: Spec) -> dict[str, list[Endpoint]]:
    out: dict[str, list[Endpoint]] = {}
    for ep in spec.endpoints:
        out.setdefault(ep.resource, []).append(ep)
    return out


def _ordered_models(spec: Spec) -> list[Model]:
    # Dependencies first: annotations are evaluated at class creation (cattrs reads them).
    done: dict[str, Model] = {}

    def visit(model: Model, stack: tuple[str, ...]) -> None:
        if model.name in done:
            return
        if model.name in stack:
            raise SpecError(f"model cycle through {model.name}")
        for f in model.fields:
            inner = f.type[5:-1] if f.type.startswith("list[") else f.type
            if inner in spec.models:
                visit(spec.models[inner], (*stack, model.name))
        done[model.name] = model

    for model in spec.models.values():
        visit(model, ())
    return list(done.values())


# ------------------------------------------------------------------ models


def render_models(spec: Spec) -> str:
    """The ``_models.py`` module of one API."""
    models = _ordered_models(spec)
    used = {f.type for m in models for f in m.fields}
    used |= {t[5:-1] for t in used if t.startswith("list[")}
    imports = []
    if "date" in used or "datetime" in used:
        names = ", ".join(n for n in ("date", "datetime") if n in used)
        imports.append(f"from datetime import {names}")
    if "decimal" in used:
        imports.append("from decimal import Decimal")
    if "object" in used or "array" in used:
        imports.append("from typing import Any")
    third = "import attrs"
    local = ["Model", "fields_last", "register_models"]
    if "id" in used:
        local.insert(0, "Id")
    out = [_header(spec, "response models")]
    out.append("\n".join(imports) + "\n\n" + third + "\n\n")
    out.append(f"from .._models import {', '.join(local)}\n\n")
    out.append("__all__ = [" + ", ".join(f'"{m.name}"' for m in sorted(models, key=_key)) + "]\n")
    for model in models:
        out.append("\n\n@attrs.define(kw_only=True, field_transformer=fields_last)\n")
        out.append(f"class {model.name}(Model):\n")
        out.append(_doc(model.doc, 4) + "\n")
        for f in model.fields:
            out.append(f"    {f.attr}: {_model_annotation(f.type)} | None = None\n")
            text = _field_doc(spec, f)
            if text:  # an attribute docstring: documentation tools read these
                out.append(_doc(text, 4))
    out.append("\n\nregister_models(" + ", ".join(m.name for m in models) + ")\n")
    return "".join(out)


def _key(model: Model) -> str:
    return model.name


def _field_doc(spec: Spec, f: Field) -> str:
    """A model field's documentation: its doc, and where public code shows it."""
    parts = [f.doc.rstrip(".") + "." if f.doc else ""]
    if f.seen:
        parts.append("Seen in " + ", ".join(str(spec.sources[n]) for n in f.seen) + ".")
    elif spec.sources:  # a spec that records evidence says so of every field
        parts.append("Not observed in public code.")
    return " ".join(p for p in parts if p)


# ------------------------------------------------------------------ resources


def _signature(ep: Endpoint) -> tuple[list[str], list[str]]:
    """(parameter declarations, names forwarded by the sync twin)."""
    params = [f"{py}: int | str" for _, py in ep.path_params]
    forward = [py for _, py in ep.path_params]
    kw: list[str] = []
    kwfwd: list[str] = []
    for f in ep.body or []:
        ann = _SCALAR_TYPES[f.type][1]
        kw.append(f"{f.attr}: {ann}" if f.required else f"{f.attr}: {ann} | None = None")
        kwfwd.append(f.attr)
    for f in ep.query:
        kw.append(f"{f.attr}: {_SCALAR_TYPES[f.type][1]} | None = None")
        kwfwd.append(f.attr)
    if ep.body is not None:
        kw.append("extra: Mapping[str, Any] | None = None")
        kwfwd.append("extra")
    if ep.pagination:
        kw.append("page_size: int | None = None")
        kwfwd.append("page_size")
        if ep.pagination == "page":
            kw.append("concurrency: int = 1")
            kwfwd.append("concurrency")
        kw.append("max_pages: int = DEFAULT_MAX_PAGES")
        kwfwd.append("max_pages")
    if ep.pagination or ep.method == "GET":
        kw.append("params: Mapping[str, Any] | None = None")
        kwfwd.append("params")
    kw += [
        "extra_headers: Mapping[str, str] | None = None",
        "extra_query: Mapping[str, Any] | None = None",
        "timeout: float | NotGiven | None = NOT_GIVEN",
        "priority: Priority | NotGiven = NOT_GIVEN",
    ]
    kwfwd += _PER_CALL
    # Required keyword-only arguments first reads better; Python allows any order.
    decl = ["self", *params]
    if kw:
        decl.append("*")
        decl.extend(kw)
    fwd = forward + [f"{name}={name}" for name in kwfwd]
    return decl, fwd


#: Per-call options every method takes and passes on to the transport.
_PER_CALL = ["extra_headers", "extra_query", "timeout", "priority"]


def _returns(ep: Endpoint, *, sync: bool) -> str:
    if ep.pagination:
        return f"{'SyncPaginator' if sync else 'AsyncPaginator'}[{ep.response}]"
    if ep.response is None:
        return "None"
    if ep.empty_response == "none":
        return f"{ep.response} | None"
    return ep.response


def _method_doc(spec: Spec, ep: Endpoint, *, sync: bool = False) -> str:
    where = f"``{ep.method} {ep.path}``"
    if ep.service:
        where += f' on the ``"{ep.service}"`` service\'s base URL'

    parts = [ep.summary, f"{where}. {_status_text(spec, ep)}"]
    if ep.permission:
        parts[-1] += f" Needs the ``{ep.permission}`` permission."
    if ep.note:
        parts.append(ep.note)
    if ep.status == "observed" and ((ep.body or []) + ep.query):
        parts.append(_fields_text(ep))
    if ep.max_page_size:
        parts.append(f"``page_size`` is clamped to {ep.max_page_size}, as public callers do.")
    use = (
        f"Iterate the result for every {ep.response}, or call ``.pages()`` or ``.first_page()``"
        if sync
        else f"Await the result for the first page, or iterate it for every {ep.response}"
    )
    if ep.pagination == "page":
        parts.append(
            f"Paged by ``{spec.page_param}``/``{spec.size_param}``. {use}; ``concurrency`` "
            "pages are fetched at a time, in order. ``params`` adds query parameters verbatim."
        )
    elif ep.pagination == "cursor":
        parts.append(
            f"Paged by a ``{spec.cursor_param}`` cursor. {use}. ``params`` adds query "
            "parameters verbatim."
        )
    elif ep.method == "GET":
        parts.append("``params`` adds query parameters verbatim.")
    casing = spec.body_casings.get(ep.resource)
    if ep.body is not None and casing:
        parts.append(
            f"Arguments go on the wire in {casing} case by default, because "
            f"{spec.casing_notes[ep.resource]} Choose with the client option "
            f'``body_casing={{"{ep.resource}": "camel" | "snake" | "pascal"}}``. ``None`` '
            "values are left out and ``extra`` is merged in verbatim, for fields this method "
            "does not know."
        )
    elif ep.body is not None:
        parts.append(
            "Arguments go on the wire in camelCase; ``None`` values are left out and "
            "``extra`` is merged in verbatim, for fields this method does not know."
        )
    if ep.empty_response == "ok":
        parts.append(f"An empty answer gives an empty ``{ep.response}``.")
    elif ep.empty_response == "none" and ep.response:
        parts.append("Returns ``None`` when the server answers with an empty body.")
    parts.append(
        "``extra_headers`` and ``extra_query`` add to this call's request"
        + ("s" if ep.pagination else "")
        + '; ``timeout`` and ``priority`` (``"bulk"`` for pulls) replace the client\'s for it.'
    )
    return "\n\n".join(parts)


def _path_expr(ep: Endpoint) -> str:
    if not ep.path_params:
        return f'"{ep.path}"'
    template = re.sub(r"{[^}]+}", "{}", ep.path)
    args = ", ".join(py for _, py in ep.path_params)
    return f'encode_path("{template}", {args})'


def _async_body(spec: Spec, ep: Endpoint) -> str:
    path = _path_expr(ep)
    service = f', service="{ep.service}"' if ep.service else ""
    if ep.query:
        pairs = ", ".join(f'"{f.wire}": {f.attr}' for f in ep.query)
        query = "{" + pairs + ", **(params or {})}"
    else:
        query = "params"
    if ep.pagination:
        lines = [
            "return AsyncPaginator(",
            "    self._transport,",
            f"    {path},",
            f"    {ep.response},",
            f"    params={query},",
        ]
        if ep.pagination == "cursor":
            lines += ['    style="cursor",', f'    cursor_param="{spec.cursor_param}",']
        else:
            lines += [f'    page_param="{spec.page_param}",']
        size = "page_size"
        if ep.max_page_size:
            size = f"page_size if page_size is None else min(page_size, {ep.max_page_size})"
        lines += [
            f'    size_param="{spec.size_param}",',
            f"    page_size={size},",
        ]
        if ep.pagination == "page":
            lines.append("    concurrency=concurrency,")
        lines.append("    max_pages=max_pages,")
        if ep.service:
            lines.append(f'    service="{ep.service}",')
        lines += [f"    {name}={name}," for name in _PER_CALL]
        lines += [f'    op="{ep.resource}.{ep.name}",', f'    template="{ep.path}",']
        lines.append(")")
        return "\n".join(lines)
    call_args = [f'"{ep.method}"', path, _cast(ep)]
    if ep.method == "GET":
        call_args.append(f"params={query}")
    if ep.body is not None:
        pairs = ", ".join(f'"{f.wire}": {f.attr}' for f in ep.body)
        casing = (
            f', casing=self._transport._casing("{ep.resource}")'
            if ep.resource in spec.body_casings
            else ""
        )
        call_args.append(f"json=wire_body({{{pairs}}}, extra{casing})")
    call_args += [f"{name}={name}" for name in _PER_CALL]
    call_args += [f'op="{ep.resource}.{ep.name}"', f'template="{ep.path}"']  # telemetry
    # A delete returns too: on the raw transport its result is the APIResponse.
    return f"return await self._transport._call({', '.join(call_args)}{service})"


def _cast(ep: Endpoint) -> str:
    """How the transport turns the answer into the method's result (see ``_models``)."""
    if ep.response is None:
        return "nothing"
    if ep.empty_response == "none":
        return f"optional({ep.response})"
    if ep.empty_response == "ok":
        return f"one_or_empty({ep.response})"
    return f"one({ep.response})"


def _indent(text: str, n: int) -> str:
    return textwrap.indent(text, " " * n)


def _std_imports(types: set[str], *, typing: str = "Any") -> str:
    lines = ["from __future__ import annotations", ""]
    lines.append("from collections.abc import Mapping" + (", Sequence" if "array" in types else ""))
    dates = [n for n in ("date", "datetime") if n in types]
    if dates:
        lines.append(f"from datetime import {', '.join(dates)}")
    if "decimal" in types:
        lines.append("from decimal import Decimal")
    lines.append(f"from typing import {typing}")
    return "\n".join(lines) + "\n\n"


def render_resources(spec: Spec) -> str:
    """The ``_resources.py`` module of one API."""
    eps = spec.endpoints
    body_types = {f.type for e in eps for f in (e.body or []) + e.query}
    out = [_header(spec, "async resources")]
    out.append(_std_imports(body_types))
    casts = {_cast(e).split("(")[0] for e in eps if not e.pagination}
    if any(e.body is not None for e in eps):
        casts.add("wire_body")
    out.append(f"from .._models import {', '.join(sorted(casts))}\n")
    out.append("from .._options import NOT_GIVEN, NotGiven, Priority\n")
    if any(e.pagination for e in eps):
        out.append("from .._pagination import DEFAULT_MAX_PAGES, AsyncPaginator\n")
    transport = ["Transport"] + (["encode_path"] if any(e.path_params for e in eps) else [])
    out.append(f"from .._transport import {', '.join(transport)}, to_raw_response\n")
    models = sorted({e.response for e in eps if e.response})
    out.append(f"from ._models import {', '.join(models)}\n\n")
    resources = _resources(spec)
    names = [spec.class_name, *(_resource_class(r) for r in resources)]
    names += [f"{n}WithRawResponse" for n in names]
    names.append("BODY_CASINGS")
    out.append("__all__ = [" + ", ".join(f'"{n}"' for n in sorted(names)) + "]\n\n")
    out.append(
        "#: Resources whose request bodies' wire casing is configurable (the client option\n"
        "#: ``body_casing=``), with their default: where public code disagrees.\n"
    )
    casings = ", ".join(f'"{r}": "{c}"' for r, c in spec.body_casings.items())
    out.append(f"BODY_CASINGS: dict[str, str] = {{{casings}}}\n")
    for resource, endpoints in resources.items():
        cls = _resource_class(resource)
        out.append(f"\n\nclass {cls}:\n")
        out.append(_doc(f"{spec.title}: {resource.replace('_', ' ')}.", 4) + "\n")
        out.append("    def __init__(self, transport: Transport) -> None:\n")
        out.append("        self._transport = transport\n")
        for ep in endpoints:
            decl, _ = _signature(ep)
            prefix = "def" if ep.pagination else "async def"
            returns = _returns(ep, sync=False)
            out.append(f"\n    {prefix} {ep.name}({', '.join(decl)}) -> {returns}:\n")
            out.append(_doc(_method_doc(spec, ep), 8))
            out.append(_indent(_async_body(spec, ep), 8) + "\n")
    out.append(f"\n\nclass {spec.class_name}:\n")
    out.append(
        _doc(
            f"The {spec.title}'s resources, one attribute each; the client inherits them "
            "and passes itself as the transport.",
            4,
        )
        + "\n"
    )
    for resource in resources:
        out.append(f"    {resource}: {_resource_class(resource)}\n")
    out.append("\n    def __init__(self, transport: Transport) -> None:\n")
    for resource in resources:
        out.append(f"        self.{resource} = {_resource_class(resource)}(transport)\n")
    out.append(_raw_classes(spec, resources, sync=False))
    return "".join(out)


def _raw_classes(spec: Spec, resources: dict[str, list[Endpoint]], *, sync: bool) -> str:
    """The ``with_raw_response`` twins: the resources' methods (not the lists, whose pages
    carry ``page.response``) typed to return ``APIResponse``. At run time each is the plain
    method of a resource built on the raw transport."""
    prefix = "Sync" if sync else ""
    wrap = "to_raw_response_sync" if sync else "to_raw_response"
    out = []
    for resource, endpoints in resources.items():
        cls = f"{prefix}{_resource_class(resource)}"
        out.append(f"\n\nclass {cls}WithRawResponse:\n")
        out.append(
            _doc(f":class:`{cls}` whose methods return :class:`~revclient.APIResponse`.", 4) + "\n"
        )
        out.append(f"    def __init__(self, resource: {cls}) -> None:\n")
        for ep in endpoints:
            if not ep.pagination:
                out.append(f"        self.{ep.name} = {wrap}(resource.{ep.name})\n")
    cls = f"{prefix}{spec.class_name}"
    out.append(f"\n\nclass {cls}WithRawResponse:\n")
    out.append(_doc("The resources of ``with_raw_response``, built on its transport.", 4) + "\n")
    for resource in resources:
        out.append(f"    {resource}: {prefix}{_resource_class(resource)}WithRawResponse\n")
    if sync:
        args = f"portal: Portal, resources: {spec.class_name}"
        out.append(f"\n    def __init__(self, {args}) -> None:\n")
        for resource in resources:
            name = f"Sync{_resource_class(resource)}"
            out.append(
                f"        self.{resource} = {name}WithRawResponse"
                f"({name}(portal, resources.{resource}))\n"
            )
    else:
        out.append("\n    def __init__(self, transport: Transport) -> None:\n")
        for resource in resources:
            name = _resource_class(resource)
            out.append(f"        self.{resource} = {name}WithRawResponse({name}(transport))\n")
    return "".join(out)


def render_sync_resources(spec: Spec) -> str:
    """The ``_sync_resources.py`` module of one API."""
    eps = spec.endpoints
    resources = _resources(spec)
    body_types = {f.type for e in eps for f in (e.body or []) + e.query}
    out = [_header(spec, "blocking resources, driven through an anyio portal")]
    out.append(_std_imports(body_types, typing="TYPE_CHECKING, Any"))
    out.append("from .._options import NOT_GIVEN, NotGiven, Priority\n")
    if any(e.pagination for e in eps):
        out.append("from .._pagination import DEFAULT_MAX_PAGES, SyncPaginator\n")
    out.append("from .._transport import to_raw_response_sync\n")
    models = sorted({e.response for e in eps if e.response})
    out.append(f"from ._models import {', '.join(models)}\n")
    classes = ", ".join(sorted([spec.class_name, *(_resource_class(r) for r in resources)]))
    out.append(f"from ._resources import {classes}\n\n")
    # Only for type checkers: importing the portal (and anyio) waits for the first sync call.
    out.append("if TYPE_CHECKING:\n    from .._portal import Portal\n\n")
    names = [f"Sync{spec.class_name}", *(f"Sync{_resource_class(r)}" for r in resources)]
    names += [f"{n}WithRawResponse" for n in names]
    out.append("__all__ = [" + ", ".join(f'"{n}"' for n in sorted(names)) + "]\n")
    for resource, endpoints in resources.items():
        cls = _resource_class(resource)
        out.append(f"\n\nclass Sync{cls}:\n")
        out.append(_doc(f"Blocking twin of :class:`{cls}`.", 4) + "\n")
        out.append(f"    def __init__(self, portal: Portal, resource: {cls}) -> None:\n")
        out.append("        self._portal = portal\n")
        out.append("        self._async = resource\n")
        for ep in endpoints:
            decl, fwd = _signature(ep)
            out.append(f"\n    def {ep.name}({', '.join(decl)}) -> {_returns(ep, sync=True)}:\n")
            out.append(_doc(_method_doc(spec, ep, sync=True), 8))
            args = ", ".join(fwd)
            if ep.pagination:
                out.append(
                    f"        return SyncPaginator(self._portal, self._async.{ep.name}({args}))\n"
                )
            else:
                call = ", ".join([f"self._async.{ep.name}", *fwd])
                out.append(f"        return self._portal.call({call})\n")
    out.append(f"\n\nclass Sync{spec.class_name}:\n")
    out.append(_doc(f"Blocking twin of :class:`{spec.class_name}`.", 4) + "\n")
    for resource in resources:
        out.append(f"    {resource}: Sync{_resource_class(resource)}\n")
    out.append(f"\n    def __init__(self, portal: Portal, resources: {spec.class_name}) -> None:\n")
    for resource in resources:
        out.append(
            f"        self.{resource} = Sync{_resource_class(resource)}"
            f"(portal, resources.{resource})\n"
        )
    out.append(_raw_classes(spec, resources, sync=True))
    return "".join(out)


# ------------------------------------------------------------------ driver


def _ruff_format(source: str, filename: str) -> str:
    # --isolated + explicit settings: the output must not depend on where it is run from.
    cmd = [
        sys.executable, "-m", "ruff", "format", "--isolated", f"--line-length={LINE}",
        "--target-version=py311", f"--stdin-filename={filename}", "-",
    ]  # fmt: skip
    try:
        done = subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)
    except OSError as exc:  # pragma: no cover - ruff is a dev dependency
        raise SystemExit(f"cannot run ruff ({exc}); install revclient[dev]") from exc
    if done.returncode != 0:
        raise SystemExit(f"ruff format failed on {filename}:\n{done.stderr}")
    return done.stdout


def render(spec: Spec) -> dict[str, str]:
    """Every output file of one spec: relative path -> formatted source."""
    files = {
        f"{spec.api}/_models.py": render_models(spec),
        f"{spec.api}/_resources.py": render_resources(spec),
        f"{spec.api}/_sync_resources.py": render_sync_resources(spec),
    }
    return {path: _ruff_format(src, path) for path, src in files.items()}


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
    except (SpecError, KeyError, tomllib.TOMLDecodeError) as exc:
        print(f"invalid spec: {exc}", file=sys.stderr)
        return 2
    stale = []
    for path, text in wanted.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if args.check:
            rel = path.relative_to(args.package.parent)
            if current is None:
                print(f"{rel}: missing")
                continue
            diff = list(
                difflib.unified_diff(
                    current.splitlines(), text.splitlines(), f"{rel} (committed)",
                    f"{rel} (from spec)", lineterm="", n=1,
                )
            )  # fmt: skip
            changed = sum(1 for d in diff if d[:1] in "+-" and d[:3] not in ("+++", "---"))
            print(f"{rel}: {changed} line(s) differ")
            print("\n".join(diff[:40]))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(args.package.parent)}")
    if args.check and stale:
        print(
            f"{len(stale)} generated file(s) out of date; run `python -m revclient._codegen`",
            file=sys.stderr,
        )
        return 1
    if not stale:
        print("generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
