"""Shared machinery of the generated models: one cattrs converter, lenient scalar hooks.

Every generated model is an attrs class whose attributes are snake_case, all optional
(default ``None``), plus ``extra`` (fields the model does not know, kept verbatim) and
``raw`` (the payload as received, excluded from equality and repr). Wire names are the
camelCase form of the attribute names unless a field's metadata says otherwise.

Structuring functions are generated once per model class, on its first use
(:func:`register_models`), so a request pays one generated function call per item; ``extra``
is built when it is first read.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

import attrs

from .errors import ResponseDecodeError

if TYPE_CHECKING:
    import cattrs

    from ._response import APIResponse

__all__ = [
    "Id",
    "Model",
    "camel",
    "fields_last",
    "get_converter",
    "nothing",
    "one",
    "one_or_empty",
    "optional",
    "parse_one",
    "parse_optional",
    "register_models",
    "structure",
    "structure_items",
    "unwrap",
    "wire_body",
]

#: An entity id: an integer when the server sends a number or a numeric string, else the string.
Id = int | str

M = TypeVar("M", bound="Model")


@attrs.define(kw_only=True)
class Model:
    """Base of the generated models: ``extra``, ``raw``, ``to_dict()`` and ``from_dict()``.

    Every field is optional. Fields the model does not know are kept in ``extra``; ``raw`` is
    the payload as received; ``to_dict()`` gives the wire form back.
    """

    extra: dict[str, Any] = attrs.field(factory=dict)
    raw: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_dict(cls: type[M], data: Any, *, path: str = "") -> M:
        """Structure one wire (camelCase) mapping; raises ``ResponseDecodeError`` on bad input."""
        return structure(cls, data, path)

    def to_dict(self) -> dict[str, Any]:
        """The wire (camelCase) form, extra fields included, so nothing the server sent is lost.

        Known fields that are ``None`` are left out unless the server sent them as ``null``.
        """
        out: dict[str, Any] = _UNSTRUCTURERS[type(self)](self)
        raw = self.raw
        if isinstance(raw, Mapping):
            for key, value in raw.items():
                if value is None and key not in out:
                    out[key] = None
        out.update(self.extra)
        return out


class _LazyExtra:
    """``Model.extra`` over its slot: a structured model finds its unknown fields in ``raw``
    on the first read, not when it is made (most callers never read them, and a page would
    otherwise build a dict per record)."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, obj: Model | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return self.slot.__get__(obj, owner)
        except AttributeError:  # structured, not read yet
            extra = _unknown(obj.raw, _KNOWN[type(obj)])
            self.slot.__set__(obj, extra)
            return extra

    def __set__(self, obj: Model, value: dict[str, Any]) -> None:
        self.slot.__set__(obj, value)


# setattr, so that to type checkers ``extra`` stays the declared dict field.
setattr(Model, "extra", _LazyExtra(Model.__dict__["extra"]))  # noqa: B010


# ---------------------------------------------------------------- scalar hooks


def _bad(expected: str, value: Any) -> ResponseDecodeError:
    return ResponseDecodeError(f"expected {expected}, got {type(value).__name__}", body=value)


def _id(value: Any, _t: Any = None) -> int | str | None:
    if value is None:
        return None
    if type(value) is int:
        return value
    if isinstance(value, str):
        # Only plain ASCII digits become ints ("007" too: ids are compared numerically).
        if value.isascii() and value.isdigit():
            return int(value)
        return value
    raise _bad("an id (integer or string)", value)


def _str(value: Any, _t: Any = None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    # Numbers where text is expected (account or phone numbers) are kept as their text.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise _bad("a string", value)


def _int(value: Any, _t: Any = None) -> int | None:
    if value is None or type(value) is int:
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and value.isascii():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise _bad("an integer", value)


_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def _bool(value: Any, _t: Any = None) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise _bad("a boolean", value)


def _decimal(value: Any, _t: Any = None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        try:
            # Through str() so that a float keeps its shortest repr, not its binary expansion.
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise _bad("a decimal number", value) from None
        if result.is_finite():
            return result
    raise _bad("a decimal number", value)


def _datetime(value: Any, _t: Any = None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            # 3.11 accepts "Z", offsets, and no offset (a naive datetime: Rev.io sends those).
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _bad("an ISO 8601 date-time", value)


def _date(value: Any, _t: Any = None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            try:
                # A full timestamp where a date is expected: keep its date part.
                return datetime.fromisoformat(value).date()
            except ValueError:
                pass
    raise _bad("an ISO 8601 date", value)


def _dict(value: Any, _t: Any = None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    raise _bad("an object", value)


def _list(value: Any, _t: Any = None) -> list[Any] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return value
    raise _bad("an array", value)


def _any(value: Any, _t: Any = None) -> Any:
    return value


def _is(expected: Any) -> Callable[[Any], bool]:
    def predicate(typ: Any) -> bool:
        return bool(typ == expected)

    return predicate


_SCALARS: dict[Any, Callable[[Any, Any], Any]] = {
    Id: _id,
    str: _str,
    int: _int,
    bool: _bool,
    Decimal: _decimal,
    datetime: _datetime,
    date: _date,
    dict[str, Any]: _dict,
    list[Any]: _list,
}
_REGISTERED: list[type[Model]] = []
_CONVERTER: list[cattrs.Converter] = []  # built on first use: importing cattrs costs 12 ms
_CONVERTER_LOCK = threading.Lock()


def get_converter() -> cattrs.Converter:
    """The one converter every model is structured with: the scalar hooks below and every
    registered model's, made the first time a model is structured or unstructured."""
    if not _CONVERTER:
        with _CONVERTER_LOCK:
            if not _CONVERTER:
                import cattrs

                converter = cattrs.Converter(detailed_validation=False)
                for typ, hook in _SCALARS.items():
                    # Every model field is optional; registering the optional type directly
                    # skips a dispatch step and covers unions such as ``int | str | None``
                    # cattrs cannot split.
                    for t in (typ, typ | None):
                        converter.register_structure_hook_func(_is(t), hook)
                converter.register_structure_hook(Any, _any)
                converter.register_unstructure_hook(datetime, datetime.isoformat)
                converter.register_unstructure_hook(date, date.isoformat)
                converter.register_unstructure_hook(Decimal, str)
                _register(converter, _REGISTERED)
                _CONVERTER.append(converter)
    return _CONVERTER[0]


def _register(converter: cattrs.Converter, classes: Iterable[type[Model]]) -> None:
    for cls in classes:
        converter.register_structure_hook(cls, _nested_hook(cls))
        # A model nested in another unstructures to its own wire form (renames, extra).
        converter.register_unstructure_hook(cls, _wire_form)


# ---------------------------------------------------------------- model registration

_CAMEL = re.compile(r"_([a-z0-9])")
_RESERVED = frozenset({"extra", "raw"})


class _PerClass(dict[type, Any]):
    """Per model class, built on first use (``import revclient`` stays cheap): a class's
    functions are made the first time one of its instances is structured or unstructured."""

    def __missing__(self, cls: type) -> Any:
        _build(cls)
        return self[cls]


# Per model class: the structuring function, (wire name, hook, type) for locating the field
# at fault when structuring fails, and the unstructuring function.
_STRUCTURERS: _PerClass = _PerClass()
_FIELDS: _PerClass = _PerClass()
_UNSTRUCTURERS: _PerClass = _PerClass()
#: The wire names a class knows (what is not among them goes to ``extra``).
_KNOWN: _PerClass = _PerClass()


_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")


def fields_last(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: a model's own fields before ``extra`` and ``raw``, which
    it inherits from :class:`Model` (so that reprs and ``attrs.fields`` start with the data)."""
    return sorted(fields, key=lambda a: a.name in _RESERVED)


def camel(name: str) -> str:
    """``first_name`` -> ``firstName`` (the wire name of an attribute by default)."""
    return _CAMEL.sub(lambda m: m.group(1).upper(), name)


def register_models(*classes: type[Model]) -> None:
    """Register generated model classes: their hooks and functions are made on first use."""
    with _CONVERTER_LOCK:
        _REGISTERED.extend(classes)
        if _CONVERTER:
            _register(_CONVERTER[0], classes)


def _build(cls: type) -> None:
    """Make the structure and unstructure functions of a registered model class."""
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    converter = get_converter()
    fields = [a for a in attrs.fields(cast(Any, cls)) if a.name not in _RESERVED]
    renames = {a.name: a.metadata.get("wire", camel(a.name)) for a in fields}
    overrides: dict[str, Any] = {
        name: override(rename=wire) for name, wire in renames.items() if wire != name
    }
    known = _KNOWN[cls] = frozenset(renames.values())
    _STRUCTURERS[cls] = _straight_line(cls, fields, renames) or _make_structurer(
        cls,
        make_dict_structure_fn(
            cls, converter, extra=override(omit=True), raw=override(omit=True), **overrides
        ),
        known,
    )
    _FIELDS[cls] = tuple(
        (wire, converter.get_structure_hook(a.type), a.type)
        for a, wire in zip(fields, renames.values(), strict=True)
    )
    _UNSTRUCTURERS[cls] = make_dict_unstructure_fn(
        cls,
        converter,
        _cattrs_omit_if_default=True,
        extra=override(omit=True),
        raw=override(omit=True),
        **overrides,
    )


def _wire_form(model: Model) -> dict[str, Any]:
    return model.to_dict()


def _nested_hook(cls: type[Model]) -> Callable[[Any, Any], Any]:
    # Lets a model be a field of another model (errors then name the nested field).
    def hook(value: Any, _t: Any) -> Any:
        return structure(cls, value, "")

    return hook


# A field whose value already has its type needs no hook: these checks, inlined, stand for
# the hooks above on the values servers usually send (a hook still runs for anything else).
_ALREADY: dict[Any, str] = {
    str | None: "v.__class__ is str",
    Id | None: "v.__class__ is int",
    int | None: "v.__class__ is int",
    bool | None: "v is True or v is False",
    list[Any] | None: "v.__class__ is list",
}


def _straight_line(
    cls: type, fields: list[attrs.Attribute[Any]], renames: dict[str, str]
) -> Callable[[Mapping[str, Any]], Any] | None:
    """A structuring function written out field by field for ``cls`` (what cattrs would
    do, with the common cases inlined: a third of the time per item), or ``None`` where
    the class needs more than plain optional fields (then cattrs' own function is used)."""
    if getattr(cls, "__attrs_post_init__", None) is not None or any(
        a.default is not None or a.validator is not None or a.converter is not None for a in fields
    ):
        return None
    converter = get_converter()
    namespace: dict[str, Any] = {"cls": cls, "new": object.__new__}
    lines = ["def structure_one(d):", "    o = new(cls)", "    get = d.get"]
    for i, a in enumerate(fields):
        namespace[f"h{i}"] = converter.get_structure_hook(a.type)
        namespace[f"t{i}"] = a.type
        lines.append(f"    v = get({renames[a.name]!r})")
        check = _ALREADY.get(a.type)
        if check is not None:
            value = f"v if v is None or {check} else h{i}(v, t{i})"
        else:  # every field is optional: a missing or null value is None, as cattrs gives
            value = f"None if v is None else h{i}(v, t{i})"
        lines.append(f"    o.{a.name} = {value}")
    lines += [
        # o.extra is left unset: _LazyExtra finds it in raw on the first read.
        "    o.raw = d",
        "    return o",
    ]
    exec("\n".join(lines), namespace)  # our own code, written from the class's fields
    made: Callable[[Mapping[str, Any]], Any] = namespace["structure_one"]
    return made


def _make_structurer(
    cls: type, inner: Callable[[Mapping[str, Any], Any], Any], known: frozenset[str]
) -> Callable[[Mapping[str, Any]], Any]:
    def structure_one(data: Mapping[str, Any]) -> Any:
        obj = inner(data, cls)
        obj.extra = _unknown(data, known)  # cattrs' __init__ set it to {}: not lazy here
        obj.raw = data
        return obj

    return structure_one


def _unknown(data: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The fields of ``data`` a model does not know: its ``extra``."""
    return {k: v for k, v in data.items() if k not in known}


def structure(cls: type[M], data: Any, path: str = "") -> M:
    """Structure one mapping into ``cls``; ``path`` names it in errors (e.g. ``data[3]``)."""
    if not isinstance(data, Mapping):
        raise ResponseDecodeError(
            f"expected an object for {cls.__name__} at {path or '<body>'}, "
            f"got {type(data).__name__}",
            body=data,
            path=path or None,
        )
    try:
        result: M = _STRUCTURERS[cls](data)
    except Exception as exc:
        raise _locate(cls, data, path, exc) from exc
    return result


def structure_items(cls: type[M], items: Iterable[Any], path: str = "") -> list[M]:
    """Structure a list of mappings; errors name the item, e.g. ``data[3].customerId``."""
    fn = _STRUCTURERS[cls]
    out: list[M] = []
    append = out.append
    try:
        for item in items:
            append(fn(item))
    except Exception as exc:
        index = len(out)
        bad = list(items)[index] if not isinstance(items, list) else items[index]
        where = f"{path}[{index}]"
        if not isinstance(bad, Mapping):
            raise ResponseDecodeError(
                f"expected an object for {cls.__name__} at {where}, got {type(bad).__name__}",
                body=bad,
                path=where,
            ) from exc
        raise _locate(cls, bad, where, exc) from exc
    return out


def _locate(cls: type, data: Mapping[str, Any], path: str, exc: Exception) -> ResponseDecodeError:
    # The fast path does not track where it failed; find the field now (errors are rare).
    for wire, hook, typ in _FIELDS[cls]:
        if wire in data:
            try:
                hook(data[wire], typ)
            except Exception as field_exc:
                where = f"{path}.{wire}" if path else wire
                reason = str(field_exc) or type(field_exc).__name__
                return ResponseDecodeError(
                    f"cannot structure {cls.__name__}: {where}: {reason}",
                    body=data,
                    path=where,
                )
    reason = str(exc) or type(exc).__name__
    return ResponseDecodeError(
        f"cannot structure {cls.__name__} at {path or '<body>'}: {reason}",
        body=data,
        path=path or None,
    )


def unwrap(body: Any) -> tuple[Any, str]:
    """Strip a ``{"data": {...}}`` envelope from a single-item body; return it and its path."""
    if isinstance(body, Mapping) and isinstance(body.get("data"), Mapping):
        return body["data"], "data"
    return body, ""


def parse_one(cls: type[M], body: Any, *, empty: Literal["error", "ok"] = "error") -> M:
    """Structure a single-item answer, unwrapping a ``data`` envelope when present.

    ``empty="ok"`` turns an empty body (some writes answer with none) into ``cls()``.
    """
    if body is None or body == "":
        if empty == "ok":
            return cls()
        raise ResponseDecodeError(f"expected a {cls.__name__}, got an empty body", body=body)
    item, path = unwrap(body)
    return structure(cls, item, path)


def parse_optional(cls: type[M], body: Any) -> M | None:
    """Like :func:`parse_one`, but an empty body gives ``None``."""
    if body is None or body == "":
        return None
    item, path = unwrap(body)
    return structure(cls, item, path)


def wire_body(
    fields: Mapping[str, Any], extra: Mapping[str, Any] | None, casing: str = "camel"
) -> dict[str, Any]:
    """A request body: ``None`` values dropped, decimals and dates as JSON strings, the
    (camelCase) names in ``casing`` (``"camel"``, ``"snake"``: ``customer_id``, ``"pascal"``:
    ``CustomerId``), and ``extra`` merged in verbatim (it wins over named arguments)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (Decimal, date)):  # datetime is a date subclass
            value = str(value) if isinstance(value, Decimal) else value.isoformat()
        if casing == "snake":
            key = _SNAKE.sub(r"_\1", key).lower()
        elif casing == "pascal":
            key = key[:1].upper() + key[1:]
        out[key] = value
    if extra:
        out.update(extra)
    return out


# ---------------------------------------------------------------- casts for the transport
# A generated method passes one of these to ``Transport._call``: how its answer becomes its
# result. One callable per model, made once.


@functools.cache
def one(cls: type[M]) -> Callable[[APIResponse[Any]], M]:
    """The answer holds one ``cls`` (an empty body is an error)."""
    return lambda response: parse_one(cls, response.json())


@functools.cache
def one_or_empty(cls: type[M]) -> Callable[[APIResponse[Any]], M]:
    """The answer holds one ``cls``; an empty body (some writes send none) gives ``cls()``."""
    return lambda response: parse_one(cls, response.json(), empty="ok")


@functools.cache
def optional(cls: type[M]) -> Callable[[APIResponse[Any]], M | None]:
    """The answer holds one ``cls``, or nothing (``None``)."""
    return lambda response: parse_optional(cls, response.json())


def nothing(response: APIResponse[Any]) -> None:
    """The answer's body is of no interest (a delete)."""
