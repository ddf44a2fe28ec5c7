"""The narrow interface generated resources call: one coroutine, through the pipeline.

Generated code depends on this protocol only, never on the client classes, so the
resources can be read (and generated) without knowing how the pipeline works.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol
from urllib.parse import quote

from .errors import ConfigurationError

__all__ = ["Transport", "encode_path"]


class Transport(Protocol):
    """What a resource needs from a client."""

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        service: str | None = None,
    ) -> Any:
        """Send one request through the pipeline and return the decoded JSON body.

        ``path`` is already percent-encoded (see :func:`encode_path`). ``service`` names
        a per-service base URL override (e.g. ``"projects"``); ``None`` is the API's
        base URL. Returns ``None`` for an empty body.
        """
        ...


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
        encoded.append(quote(text, safe=""))
    return template.format(*encoded)
