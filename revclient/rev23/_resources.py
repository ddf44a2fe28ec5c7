"""Placeholder until revclient._codegen writes the generated resources here."""

from __future__ import annotations

from .._transport import Transport


class Rev23Resources:
    """The API's resources (none yet)."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
