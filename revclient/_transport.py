"""The narrow interface generated resources call: one coroutine, through the pipeline.

Generated code depends on this protocol only, never on the client classes, so the
resources can be read (and generated) without knowing how the pipeline works.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ParamSpec, Protocol, TypeVar
from urllib.parse import quote

from ._options import NOT_GIVEN, NotGiven, Priority
from ._response import APIResponse
from .errors import ConfigurationError

__all__ = ["Transport", "encode_path", "to_raw_response", "to_raw_response_sync"]

T = TypeVar("T")
P = ParamSpec("P")


class Transport(Protocol):
    """What a resource needs from a client."""

    def _call(
        self,
        method: str,
        path: str,
        cast: Callable[[APIResponse[Any]], T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | NotGiven | None = NOT_GIVEN,
        priority: Priority | NotGiven = NOT_GIVEN,
        op: str | None = None,
        template: str | None = None,
    ) -> Awaitable[T]:
        """Send one request through the pipeline; awaiting gives ``cast`` of the answer.

        ``path`` is already percent-encoded (see :func:`encode_path`). ``service`` names
        a per-service base URL override (e.g. ``"projects"``); ``None`` is the API's
        base URL. ``extra_headers``/``extra_query`` add to this call, ``timeout`` and
        ``priority`` replace the client's for it. ``cast`` turns the answer into the
        method's result (the ``with_raw_response`` transport returns the answer itself
        instead). ``op`` (``customers.get``) and ``template`` (the spec's path) name the
        call in telemetry.
        """
        ...

    def _casing(self, resource: str) -> str:
        """The wire casing of ``resource``'s request bodies: the client's ``body_casing``
        option, else the spec's default (``BODY_CASINGS`` of the generated resources)."""
        ...


def to_raw_response(
    method: Callable[P, Awaitable[T]],
) -> Callable[P, Awaitable[APIResponse[T]]]:
    """Type a resource method built on the raw transport: it returns the ``APIResponse``."""
    return method  # type: ignore[return-value]


def to_raw_response_sync(method: Callable[P, T]) -> Callable[P, APIResponse[T]]:
    """The blocking twin of :func:`to_raw_response`."""
    return method  # type: ignore[return-value]


def encode_path(template: str, *args: object) -> str:
    """Fill ``{}`` placeholders in ``template`` with percent-encoded path parameters.

    Every character outside the unreserved set is encoded (``/``, ``?``, ``#``, ``%`` and
    ``.`` segments included), so an id can never change which path is requested.
    """
    encoded: list[str] = []
    for arg in args:
        if type(arg) is int:  # the common case: nothing to encode
            encoded.append(str(arg))
            continue
        if isinstance(arg, bool) or arg is None:
            raise ConfigurationError(f"path parameter must be a string or integer, got {arg!r}")
        if not isinstance(arg, (str, int)):
            raise ConfigurationError(
                f"path parameter must be a string or integer, got {type(arg).__name__}"
            )
        text = str(arg)
        if text in ("", ".", ".."):
            raise ConfigurationError(f"path parameter {text!r} is not a valid id")
        try:
            encoded.append(quote(text, safe=""))
        except UnicodeEncodeError:  # a lone surrogate: no URL can carry it
            raise ConfigurationError(
                "path parameter is not valid Unicode (it holds a lone surrogate)"
            ) from None
    return template.format(*encoded)
