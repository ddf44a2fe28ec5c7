"""``APIResponse``: one answer with its metadata, before (or instead of) structuring it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from . import _json
from .errors import ResponseDecodeError, request_id

__all__ = ["APIResponse", "decode_json"]

T = TypeVar("T")


@attrs.define(slots=True, eq=False)
class APIResponse(Generic[T]):
    """A successful answer, read in full, with what it took to get it.

    ``client.with_raw_response.<resource>.<method>(...)`` returns one instead of the model;
    :meth:`parse` gives the model the plain call would have returned. Every
    :class:`~revclient.Page` carries the one it came from as ``page.response``.

    Attributes: ``status`` and ``headers`` (case-insensitive) of the answer, ``method`` and
    ``url`` of the request, ``attempts`` (requests sent on the wire for this call, retries
    and a re-authentication included), ``elapsed`` (seconds from the first attempt to this
    answer), ``rate_limit_wait`` (seconds of that spent waiting for the key's budget).
    """

    status: int
    headers: Mapping[str, str]
    method: str
    url: str
    attempts: int
    elapsed: float
    rate_limit_wait: float
    content: bytes = attrs.field(repr=False)
    _cast: Callable[[APIResponse[Any]], T] = attrs.field(repr=False, alias="cast")
    _secret: bool = attrs.field(default=False, repr=False, alias="secret")

    @property
    def request_id(self) -> str | None:
        """The server's request id (``X-Request-Id`` and similar headers), when it sent one."""
        return request_id(self.headers)

    def json(self) -> Any:
        """The decoded JSON body, as the server sent it; ``None`` for an empty body.

        Raises :class:`~revclient.ResponseDecodeError` when the body is not JSON.
        """
        return decode_json(self.content, self.headers, self.method, self.url, self._secret)

    def parse(self) -> T:
        """The typed result (the model the plain call returns)."""
        return self._cast(self)


def decode_json(
    body: bytes, headers: Mapping[str, str], method: str, url: str, secret: bool
) -> Any:
    """Decode a JSON body; a body that is not JSON raises ``ResponseDecodeError`` quoting
    the start of it, unless it may carry a secret (the key exchange)."""
    if not body:
        return None
    try:
        return _json.loads(body)
    except ValueError as exc:
        kind = headers.get("Content-Type", "no content type")
        why = f"the answer is not valid JSON ({kind}, {len(body)} bytes; {exc})"
        if secret:
            raise ResponseDecodeError(f"{method} {url}: {why}") from None
        snippet = body[:200].decode("utf-8", "replace")
        raise ResponseDecodeError(
            f"{method} {url}: {why}: {snippet!r}",
            body=body.decode("utf-8", "replace"),
        ) from None
