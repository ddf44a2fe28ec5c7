"""The spec files' schema and validation: what ``revclient/specs/<api>.toml`` may say.

Each file is structured into the attrs classes below by a cattrs converter that forbids
unknown keys and checks types and choices; :func:`_check` adds the cross-entry checks types
cannot say (references between entries, names, and evidence). :mod:`revclient._codegen`
renders the result.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, get_origin

import attrs
import cattrs
from cattrs import BaseConverter
from cattrs.cols import list_structure_factory
from cattrs.v import format_exception

from ._models import camel

__all__ = ["Spec", "SpecError", "load_spec", "parse_spec"]

PACKAGE = Path(__file__).resolve().parent
SPECS = PACKAGE / "specs"
APIS = ("rev23", "revio")

# Spec field type -> (model annotation, argument annotation)
SCALAR_TYPES: dict[str, tuple[str, str]] = {
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
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PATH_PARAM = re.compile(r"{([^}]+)}")
#: Per-call options every method takes and passes on to the transport.
PER_CALL_PARAMS = [
    "extra_headers: Mapping[str, str] | None = None",
    "extra_query: Mapping[str, Any] | None = None",
    "timeout: float | NotGiven | None = NOT_GIVEN",
    "priority: Priority | NotGiven = NOT_GIVEN",
]


def param_names(params: Iterable[str]) -> list[str]:
    """Parameters (``name: type = default``) -> their names."""
    return [p.split(":")[0] for p in params]


#: What a generated method takes besides the fields and path parameters.
_RESERVED_ARGS = {"self", "extra", "params", "page_size", "concurrency", "max_pages", "body"}
_RESERVED_ARGS.update(param_names(PER_CALL_PARAMS))


class SpecError(ValueError):
    """The spec is inconsistent; the message names the offending entry."""


def snake(name: str) -> str:
    """``customerId`` -> ``customer_id``; ``ticket-list`` -> ``ticket_list``."""
    name = name.replace("-", "_")
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name).lower()


# The TOML is structured into these classes by a converter that forbids unknown keys and
# checks types and choices (``Literal``); :func:`_check` adds what types cannot say.


@attrs.define
class Source:
    """Where public code shows an endpoint or a field: a repository and a file in it, and
    what to know about that evidence (``note``: shown where an endpoint lists its sources)."""

    repo: str = ""
    file: str = ""
    note: str = ""

    def __str__(self) -> str:
        return f"{self.repo} ``{self.file}``"

    def cited(self) -> str:
        """The source with its note, for an endpoint's numbered list."""
        return f"{self} ({self.note})" if self.note else str(self)


@attrs.define
class Field:
    """One model field, query parameter or body argument."""

    wire: str
    type: str
    doc: str = ""
    required: bool = False
    #: Names of the spec's ``[sources]`` that show this field.
    seen: list[str] = attrs.Factory(list)
    #: The Python name when ``snake(wire)`` cannot be one (``from`` -> ``date_from``).
    arg: str | None = None

    @property
    def attr(self) -> str:
        """The Python name: of the model attribute, or of the method argument."""
        return self.arg or snake(self.wire)


@attrs.define
class Model:
    """One response model."""

    fields: list[Field]
    doc: str = ""


@attrs.define
class Endpoint:
    """One endpoint: a method of a resource class."""

    resource: str
    name: str
    summary: str
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
    path: str
    status: Literal["documented", "observed", "inferred"]
    source: str = ""
    response: str | None = None
    pagination: Literal["page", "cursor"] | None = None
    service: str | None = None
    permission: str | None = None
    empty_response: Literal["error", "ok", "none"] = "error"
    #: Wire name of a path parameter -> its Python name, where ``snake(wire)`` is not wanted.
    path_params: dict[str, str] = attrs.Factory(dict)
    query: list[Field] = attrs.Factory(list)
    body: list[Field] | None = None
    #: Names of the spec's ``[sources]`` that call this endpoint.
    seen: list[str] = attrs.Factory(list)
    #: A paragraph for the docstring: what the evidence says beyond the shape.
    note: str = ""
    #: The largest page size the endpoint takes (``page_size`` is clamped to it).
    max_page_size: int | None = None

    @property
    def params(self) -> list[str]:
        """The Python names of the path parameters, in path order."""
        return [self.path_params.get(w, snake(w)) for w in PATH_PARAM.findall(self.path)]

    @property
    def fields(self) -> list[Field]:
        """Body fields, then query parameters."""
        return (self.body or []) + self.query


@attrs.define
class Api:
    """The ``[api]`` table: names, and the pagination parameters of every list."""

    name: str
    title: str
    class_name: str
    page_param: str = "page"
    size_param: str = "pageSize"
    cursor_param: str = "nextCursor"


@attrs.define
class Resource:
    """A ``[resources.<name>]`` table: where public callers disagree on the body casing."""

    body_casing: Literal["camel", "snake", "pascal"]
    note: str = ""


@attrs.define
class Spec:
    """A parsed and validated spec file."""

    api: Api
    endpoints: list[Endpoint]
    models: dict[str, Model] = attrs.Factory(dict)
    sources: dict[str, Source] = attrs.Factory(dict)
    resources: dict[str, Resource] = attrs.Factory(dict)
    #: The spec's path as the generated headers name it (``specs/revio.toml``).
    source_name: str = attrs.field(default="", init=False)


def _exact(value: Any, typ: type) -> Any:
    # cattrs would turn 1 into "1", "no" into True or "app" into ["a", "p", "p"]; a spec says
    # what it means.
    if type(value) is not typ:
        raise TypeError(f"expected {typ.__name__}, got {value!r}")
    return value


def _is_list(typ: Any) -> bool:
    # The spec's lists are all ``list[...]`` (cattrs 24.1, our floor, has no
    # is_mutable_sequence).
    return get_origin(typ) is list


def _exact_list(typ: Any, converter: BaseConverter) -> Callable[[Any, Any], list[Any]]:
    structure = list_structure_factory(typ, converter)
    return lambda value, _: structure(_exact(value, list), typ)


_converter = cattrs.Converter(forbid_extra_keys=True)
for _t in (str, int, bool):
    _converter.register_structure_hook(_t, _exact)
_converter.register_structure_hook_factory(_is_list, _exact_list)


def _format_error(exc: BaseException, typ: Any) -> str:
    # Something else where a table belongs has no ``.keys()`` (forbid_extra_keys asks first)
    # or ``.items()``: cattrs says "unknown error" or "expected a mapping".
    if isinstance(exc, AttributeError) and str(exc).endswith(("'keys'", "'items'")):
        return "expected a table"
    return format_exception(exc, typ)


def load_spec(path: Path) -> Spec:
    """Read and validate one spec file; errors name the file."""
    try:
        with path.open("rb") as fh:
            spec = parse_spec(tomllib.load(fh))
    except (SpecError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path.name}: {exc}") from None
    spec.source_name = f"specs/{path.name}"
    return spec


def parse_spec(raw: Mapping[str, Any]) -> Spec:
    """Validate a spec's parsed TOML (separate from :func:`load_spec` for tests)."""
    try:
        spec = _converter.structure(raw, Spec)
    except Exception as exc:
        errors = "; ".join(cattrs.transform_error(exc, "spec", _format_error))
        raise SpecError(_ENDPOINT_INDEX.sub(lambda m: _endpoint_label(raw, m), errors)) from None
    _check(spec)
    return spec


_ENDPOINT_INDEX = re.compile(r"spec\.endpoints\[(\d+)\]")


def _endpoint_label(raw: Any, match: re.Match[str]) -> str:
    """``spec.endpoints[3]`` -> ``endpoints[3] (tickets.list)``: an index is hard to find."""
    try:
        ep = raw["endpoints"][int(match[1])]
        return f"endpoints[{match[1]}] ({ep.get('resource')}.{ep.get('name')})"
    except (LookupError, TypeError, AttributeError):  # not a list of tables: say the index
        return match[0]


def _is_name(name: str) -> bool:
    """A plain (ASCII) Python name that is not a keyword."""
    return bool(_NAME.fullmatch(name)) and not keyword.iskeyword(name)


def _element(type_: str) -> str:
    """The type of a list's items (``list[Contact]`` -> ``Contact``), or the type itself."""
    return type_[5:-1] if type_.startswith("list[") and type_.endswith("]") else type_


def _check(spec: Spec) -> None:
    """What the converter cannot check: references between entries, names, and evidence."""
    for name, src in spec.sources.items():
        if not src.repo or not src.file:
            raise SpecError(f"sources.{name}: repo and file are required")
    for name, model in spec.models.items():
        if not _is_name(name) or not name[0].isupper():
            raise SpecError(f"model name {name!r} must be a CapWords identifier")
        _check_fields(spec, model.fields, name, {*SCALAR_TYPES, *spec.models})
        if {f.attr for f in model.fields} & {"extra", "raw"}:
            raise SpecError(f"{name}: the field names extra and raw are reserved")
    ordered_models(spec)  # rejects cycles
    for ep in spec.endpoints:
        _check_endpoint(spec, ep)
    if len({(e.resource, e.name) for e in spec.endpoints}) != len(spec.endpoints):
        raise SpecError("duplicate endpoint (resource, name)")
    for name, res in spec.resources.items():
        if name not in {e.resource for e in spec.endpoints}:
            raise SpecError(f"resources.{name}: not a known resource")
        if not res.note:
            raise SpecError(f"resources.{name}: body_casing needs a note why")


def _check_endpoint(spec: Spec, ep: Endpoint) -> None:
    where = f"{ep.resource}.{ep.name}"
    # A leading underscore could shadow a resource's own attributes (``_transport``).
    if not all(_is_name(n) and not n.startswith("_") for n in (ep.resource, ep.name)):
        raise SpecError(f"{where}: resource and name must be Python names without a leading _")
    _check_fields(spec, ep.fields, where, set(SCALAR_TYPES))
    if any(f.type.startswith("list[") for f in ep.fields):
        raise SpecError(f"{where}: query and body fields take scalar types (a list is array)")
    _check_seen(spec, ep.seen, where)
    if set(ep.path_params) - set(PATH_PARAM.findall(ep.path)):
        raise SpecError(f"{where}: path_params names not in the path")
    if ep.status == "observed" and not ep.seen:
        raise SpecError(f"{where}: an observed endpoint names where it was seen (seen=)")
    if ep.status != "observed" and not ep.source:
        raise SpecError(f"{where}: a documented or inferred endpoint needs a source")
    if ep.max_page_size is not None and (not ep.pagination or ep.max_page_size < 1):
        raise SpecError(f"{where}: max_page_size is a positive int, on a paginated endpoint")
    if ep.response is not None and ep.response not in spec.models:
        raise SpecError(f"{where}: unknown response model {ep.response!r}")
    if ep.pagination and ep.response is None:
        raise SpecError(f"{where}: a paginated endpoint needs a response model")
    args = ep.params + [f.attr for f in ep.fields]
    for arg in args:
        if not _is_name(arg) or arg in _RESERVED_ARGS:
            raise SpecError(f"{where}: argument name {arg!r} is invalid or reserved")
    if len(set(args)) != len(args):
        raise SpecError(f"{where}: duplicate argument names")


def _check_fields(spec: Spec, fields: list[Field], where: str, types: set[str]) -> None:
    for f in fields:
        if f.arg is not None:
            if not _NAME.fullmatch(f.wire):
                raise SpecError(f"{where}: wire name {f.wire!r} is not a plain name")
            if not _is_name(f.arg):
                raise SpecError(f"{where}: arg {f.arg!r} is not a Python name")
        elif not _is_name(f.attr) or camel(f.attr) != f.wire:
            raise SpecError(
                f"{where}: wire name {f.wire!r} is not plain camelCase (give it an arg= name)"
            )
        if _element(f.type) not in types:
            raise SpecError(f"{where}.{f.wire}: unknown type {f.type!r}")
        _check_seen(spec, f.seen, f"{where}.{f.wire}")
    if len({f.attr for f in fields}) != len(fields):
        raise SpecError(f"{where}: duplicate field names")


def _check_seen(spec: Spec, names: list[str], where: str) -> None:
    unknown = [n for n in names if n not in spec.sources]
    if unknown:
        raise SpecError(f"{where}: seen names unknown sources {unknown}; see [sources]")


def ordered_models(spec: Spec) -> dict[str, Model]:
    # Dependencies first: annotations are evaluated at class creation (cattrs reads them).
    done: dict[str, Model] = {}

    def visit(name: str, stack: tuple[str, ...]) -> None:
        if name in stack:
            raise SpecError(f"model cycle through {name}")
        if name not in done:
            for f in spec.models[name].fields:
                if _element(f.type) in spec.models:
                    visit(_element(f.type), (*stack, name))
            done[name] = spec.models[name]

    for name in spec.models:
        visit(name, ())
    return done
