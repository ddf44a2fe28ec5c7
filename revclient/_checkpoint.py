"""A pull's checkpoint: where to continue, written beside the destination after each page.

The file is JSON, replaced atomically (a temporary file renamed over it), so a pull killed
at any moment leaves the previous checkpoint or the new one, never half of one. It holds
no secret: the list's path and query, the position, the counts and the sink's own state.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from typing import Any

import attrs

from .errors import ConfigurationError

__all__ = ["Checkpoint", "write_atomically"]

_VERSION = 1


@attrs.frozen
class Checkpoint:
    """The state of an unfinished pull.

    ``source`` identifies the list (method, path, query, page size); ``next_page`` or
    ``next_cursor`` is where to continue (both ``None``: every page was read, only the
    sink was not finished); ``records`` counts the items read so far and ``pages`` the
    pages; ``sink`` is the sink's position (for a file: the bytes of whole pages).
    """

    source: dict[str, Any]
    records: int
    pages: int
    next_page: int | None = None
    next_cursor: str | None = None
    sink: dict[str, Any] = attrs.field(factory=dict)

    @property
    def done(self) -> bool:
        """Whether every page was read (the pull stopped while finishing the destination)."""
        return self.next_page is None and self.next_cursor is None

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Checkpoint | None:
        """The checkpoint at ``path``, ``None`` when there is none, or a
        :class:`ConfigurationError` when the file is not one."""
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"cannot read checkpoint {os.fspath(path)}: {exc}") from None
        try:
            if data.pop("version") != _VERSION:
                raise ValueError("unknown version")
            return cls(**data)
        except (AttributeError, KeyError, TypeError, ValueError):
            raise ConfigurationError(
                f"{os.fspath(path)} is not a revclient checkpoint (delete it to start over)"
            ) from None

    def write(self, path: str | os.PathLike[str]) -> None:
        """Replace the checkpoint at ``path`` atomically."""
        text = json.dumps({"version": _VERSION, **attrs.asdict(self)}, default=str, indent=1)
        write_atomically(path, text)

    @staticmethod
    def remove(path: str | os.PathLike[str]) -> None:
        """Delete the checkpoint at ``path`` (the pull it described is complete)."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Replace the file at ``path`` with ``text``: a temporary file renamed over it, so a
    reader (or a resumed pull) finds the old content or the new, never half."""
    target = os.fspath(path)
    fd, temp = tempfile.mkstemp(
        dir=os.path.dirname(os.path.abspath(target)),
        prefix=f".{os.path.basename(target)}.",
        suffix=".tmp",
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
