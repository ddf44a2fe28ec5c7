"""Client options: one attrs class, checked once, shared by every constructor.

:class:`ClientOptions` holds what a client is configured with; :class:`ClientKwargs` is
the same set as keyword arguments (for type checkers and IDEs), taken by
``AsyncRev23``/``AsyncRevio``, ``SessionManager`` and its factories, the sync facade and
``with_options``. An unknown keyword is a :class:`~revclient.ConfigurationError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypedDict

import attrs

from ._config import (
    Priority,
    RateLimit,
    Rates,
    RetryPolicy,
    check_priority,
    check_rate_limit,
    check_retry,
    check_timeout,
)
from .errors import ConfigurationError

if TYPE_CHECKING:
    from .backends import StateBackend

__all__ = [
    "AUTH_HEADERS",
    "NOT_GIVEN",
    "ClientKwargs",
    "ClientOptions",
    "NotGiven",
    "Priority",
    "check_headers",
]

#: 64 MiB: a body larger than this (after decompression) raises ResponseTooLargeError.
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

#: Headers revclient sets from the key; extra headers may not replace them.
AUTH_HEADERS: Final = frozenset({"x-api-key", "x-tenant-name", "authorization", "x-revio-host"})

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


class NotGiven:
    """Marks an argument left out where ``None`` means something (``timeout=None``: no
    timeout); the client's own setting applies."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Final = NotGiven()


class ClientKwargs(TypedDict, total=False):
    """The keyword options every constructor takes (see :class:`ClientOptions`)."""

    rate_limit: RateLimit | Sequence[RateLimit] | None
    retry: RetryPolicy | None
    timeout: float | None
    backend: StateBackend | None
    allow_insecure: bool
    base_urls: Mapping[str, str] | None
    headers: Mapping[str, str] | None
    max_response_bytes: int
    priority: Priority
    body_casing: Mapping[str, str] | None


def check_headers(value: object, name: str = "headers") -> dict[str, str]:
    """Extra headers: strings without CR/LF, and none of the auth headers."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{name} must be a mapping of header names to strings")
    out: dict[str, str] = {}
    for key, val in value.items():
        if not isinstance(key, str) or not _TOKEN.fullmatch(key):
            raise ConfigurationError(f"{name}: {key!r} is not a valid header name")
        if key.lower() in AUTH_HEADERS:
            raise ConfigurationError(
                f"{name} may not set {key}: revclient sets the auth headers from the key "
                "(pass api_key=, tenant= or host= to the client instead)"
            )
        if not isinstance(val, str) or not _VALUE.fullmatch(val):
            # The value is not echoed: it may be a secret of the caller's.
            raise ConfigurationError(
                f"{name}[{key!r}] must be a string without control characters (CR/LF)"
            )
        out[key] = val
    return out


def _check_backend(value: object) -> StateBackend | None:
    if value is None:
        return None
    from .backends import StateBackend  # with the first client: import revclient needs none

    if isinstance(value, StateBackend):
        return value
    raise ConfigurationError(
        "backend must be a revclient state backend (revclient.backends.MemoryBackend, "
        f"revclient.backends.redis.RedisBackend), got {type(value).__name__}"
    )


def _check_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"allow_insecure must be True or False, got {value!r}")
    return value


def _check_base_urls(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ConfigurationError("base_urls must map service names to URLs")
    return dict(value)


def _check_body_casing(value: object) -> dict[str, str]:
    if value is None:
        return {}
    casings = ("camel", "snake", "pascal")
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and v in casings for k, v in value.items()
    ):
        raise ConfigurationError(
            f"body_casing must map resource names to one of {', '.join(casings)}, "
            f"e.g. {{'opportunities': 'snake'}}"
        )
    return dict(value)


def _check_max_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_response_bytes must be an integer >= 1, got {value!r}")
    return value


@attrs.frozen
class ClientOptions:
    """What a client is configured with; every field is also a constructor keyword.

    - ``rate_limit``: the key's budget (:class:`~revclient.RateLimit`, default 200 a
      minute; a list of them for several windows, e.g. per minute and per day), or
      ``None`` for none.
    - ``retry``: the :class:`~revclient.RetryPolicy` (``None``: the default policy).
    - ``timeout``: seconds for one attempt, connect to last byte (``None``: no timeout).
    - ``backend``: where per-key state lives (``None``: this process's memory).
    - ``allow_insecure``: allow plain HTTP to a host that is not loopback.
    - ``base_urls``: a per-service base URL, e.g. ``{"projects": "https://apim..."}``.
    - ``headers``: extra headers on every request (never the auth headers).
    - ``max_response_bytes``: the largest body read, after decompression (default 64 MiB).
    - ``priority``: the lane of this client's calls in the key's queue, ``"interactive"``
      (default) or ``"bulk"`` (never takes a window's ``reserve``; served after queued
      interactive calls). Each call may also pass ``priority=``.
    - ``body_casing``: the wire casing (``"camel"``, ``"snake"``, ``"pascal"``) of a
      resource's request bodies, for the resources whose public evidence disagrees (e.g.
      ``{"opportunities": "camel"}``; the defaults are the spec's).
    """

    rate_limit: Rates | None = attrs.field(factory=RateLimit, converter=check_rate_limit)
    retry: RetryPolicy = attrs.field(factory=RetryPolicy, converter=check_retry)
    timeout: float | None = attrs.field(default=30.0, converter=check_timeout)
    backend: StateBackend | None = attrs.field(default=None, converter=_check_backend)
    allow_insecure: bool = attrs.field(default=False, converter=_check_bool)
    base_urls: Mapping[str, str] = attrs.field(factory=dict, converter=_check_base_urls)
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=check_headers)
    max_response_bytes: int = attrs.field(
        default=DEFAULT_MAX_RESPONSE_BYTES, converter=_check_max_bytes
    )
    priority: Priority = attrs.field(default="interactive", converter=check_priority)
    body_casing: Mapping[str, str] = attrs.field(factory=dict, converter=_check_body_casing)

    def merge(
        self, given: Mapping[str, Any], *, allowed: frozenset[str] | None = None
    ) -> ClientOptions:
        """These options with ``given`` applied (``headers`` are added to these ones); an
        unknown name is a ConfigurationError."""
        if not given:
            return self
        names = _NAMES if allowed is None else allowed
        unknown = sorted(set(given) - names)
        if unknown:
            raise ConfigurationError(
                f"unknown option{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                f"the options are {', '.join(sorted(names))}"
            )
        if given.get("headers"):  # added to these options' headers, not instead of them
            given = {**given, "headers": {**self.headers, **check_headers(given["headers"])}}
        return attrs.evolve(self, **given)


_NAMES: Final = frozenset(a.name for a in attrs.fields(ClientOptions))
