"""JSON in and out, strictly: what revclient sends and what it accepts from a server.

- :func:`loads`: RFC 8259 JSON only. ``NaN``/``Infinity`` are not JSON numbers and a body
  nested deeper than Python's recursion limit is hostile; both raise ``ValueError`` (the
  callers turn it into ``ResponseDecodeError``), never ``RecursionError``. With
  ``orjson`` installed (extra ``revclient[speed]``) it decodes first, 2-3x faster; what
  it refuses (an integer beyond 64 bits, a lone surrogate escape, nesting past 1,024
  levels) goes to the standard decoder, and so, with an old orjson that decodes any depth,
  does a body that could nest too deeply; so the answer never depends on it.
- :func:`dumps`: request bodies, with the types users pass: ``Decimal`` as a string
  (lossless, as the generated methods send amounts), ``datetime``/``date``/``time`` in
  ISO 8601, ``UUID`` as its string; anything else JSON cannot hold (a set, ``NaN``, an
  object) raises ``ConfigurationError`` before any budget is spent.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, time
from decimal import Decimal
from typing import Any

from .errors import ConfigurationError

__all__ = ["dumps", "loads"]


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)

#: Bodies with fewer brackets than this (any body shorter than twice it) may go to orjson.
_MAX_FAST_DEPTH = 900

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None  # type: ignore[assignment]


def _limits_depth() -> bool:
    """Whether this orjson refuses deep nesting itself (recent ones stop at 1,024 levels;
    old ones decode any depth, and then :func:`_shallow` must look first)."""
    try:
        _orjson.loads(b"[" * 5000 + b"]" * 5000)
    except _orjson.JSONDecodeError:
        return True
    return False


_CHECK_DEPTH = _orjson is not None and not _limits_depth()


def loads(body: bytes | str) -> Any:
    """Decode a JSON document; ``ValueError`` for anything that is not strict JSON."""
    if _orjson is not None and (not _CHECK_DEPTH or _shallow(body)):
        try:
            return _orjson.loads(body)
        except _orjson.JSONDecodeError:
            pass  # the standard decoder has the last word (see the module docstring)
    return _slow_loads(body)


def _shallow(body: bytes | str) -> bool:
    """Whether ``body`` surely nests less deeply than the standard decoder allows: orjson
    decodes any depth, and a hostile depth must stay an error (then the standard decoder
    gives it). Each level opens a bracket, so fewer brackets than the limit will do."""
    if len(body) < 2 * _MAX_FAST_DEPTH:
        return True
    if isinstance(body, str):
        return body.count("[") + body.count("{") < _MAX_FAST_DEPTH
    return body.count(b"[") + body.count(b"{") < _MAX_FAST_DEPTH


def _slow_loads(body: bytes | str) -> Any:
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        return str(value)
    if isinstance(value, (date, time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """Encode a request body; ``ConfigurationError`` says what cannot be sent."""
    try:
        return json.dumps(
            value, default=_default, allow_nan=False, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(
            f"json body cannot be sent as JSON: {exc} (send strings, numbers, booleans, "
            "None, lists and dicts; Decimal, dates, times and UUIDs are converted)"
        ) from None
    except RecursionError:
        raise ConfigurationError("json body is nested too deeply (or refers to itself)") from None
    except UnicodeEncodeError:
        raise ConfigurationError("json body holds text that is not valid Unicode") from None
