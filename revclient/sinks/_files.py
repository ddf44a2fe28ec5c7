"""Where a file sink's bytes go: stdout, a temporary file renamed into place, or in place.

A regular file is written beside itself and renamed over on commit, so readers never see
half a file and a failed pull leaves the old one untouched. A device, FIFO or socket
(``/dev/stdout``, a named pipe) is written in place: a rename would replace it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from typing import IO, Any, Protocol

from ..errors import ConfigurationError

__all__ = ["Append", "Atomic", "Resumed", "Stdout", "Target", "is_special", "open_target"]


class Target(Protocol):
    """An open destination: ``stream``, then ``commit`` (keep) or ``abort`` (drop)."""

    stream: IO[Any]
    path: str | None
    #: Where the bytes are until commit (a temporary file, or ``path`` itself).
    file: str | None
    #: Whether commit renames ``file`` to ``path`` (then a failed pull may go elsewhere).
    renames: bool

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class Stdout:
    """Standard output: nothing to commit or discard, only flush."""

    path: str | None = None
    file: str | None = None
    renames = False

    def __init__(self) -> None:
        self.stream: IO[Any] = sys.stdout

    def commit(self) -> None:
        self.stream.flush()

    def abort(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.flush()


def _publish(temp: str, path: str) -> None:
    """Rename ``temp`` over ``path``, with the mode a plain ``open()`` would have given
    (mkstemp creates 0600)."""
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, path) from None


class Atomic:
    """A temporary file beside ``path``, renamed over it on commit (readers never see half)."""

    renames = True

    def __init__(self, path: str, *, binary: bool = False) -> None:
        self.path: str | None = path
        directory = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.temp = tempfile.mkstemp(
                dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".part"
            )
        except OSError as exc:
            # Name the file the user asked for, not the temporary one.
            raise OSError(exc.errno, exc.strerror, path) from None
        self.file: str | None = self.temp
        if binary:
            self.stream: IO[Any] = os.fdopen(fd, "wb")
        else:
            self.stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        assert self.path is not None
        if not self.stream.closed:  # a writer (pyarrow) may have closed it already
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
        try:
            _publish(self.temp, self.path)
            self.file = self.path
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            raise

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


class Append:
    """Writes in place (appends with ``mode="a"``): not atomic by design, every flushed
    record stays."""

    renames = False

    def __init__(self, path: str, mode: str = "a") -> None:
        self.path: str | None = path
        self.file: str | None = path
        if "b" in mode:
            self.stream: IO[Any] = open(path, mode)  # noqa: SIM115
        else:
            self.stream = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()


class Resumed:
    """An interrupted pull's file (``file``: the temporary one, ``FILE.partial`` or ``path``
    itself), cut back to ``size`` (its whole pages) and written on; committing renames it
    to ``path`` when it is not ``path`` already."""

    def __init__(self, path: str, file: str, size: int) -> None:
        try:
            actual = os.stat(file).st_size
        except FileNotFoundError:
            actual = -1
        if actual < size:
            # Cutting "back" would pad with zeros: the file lost pages the checkpoint has.
            what = "is gone" if actual < 0 else f"is shorter ({actual} bytes) than recorded"
            raise ConfigurationError(
                f"the interrupted pull's file {file} {what}: it cannot be continued; "
                "delete the checkpoint to start over"
            )
        os.truncate(file, size)  # drops a page written after the last checkpoint
        self.path: str | None = path
        self.file: str | None = file
        self.renames = file != path
        self.stream: IO[Any] = open(file, "a", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.stream.close()
        if self.renames:
            assert self.path is not None and self.file is not None
            _publish(self.file, self.path)
            self.file = self.path

    def abort(self) -> None:
        # The checkpoint still points at the file: it stays for the next --resume.
        with contextlib.suppress(OSError):
            self.stream.close()


def is_special(path: str) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a directory (a FIFO, a device)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:
        return False  # not there yet: a new regular file


def open_target(path: str | None, *, append: bool = False, binary: bool = False) -> Target:
    """Open ``path`` (``None`` or ``"-"``: stdout) atomically, appended, or in place."""
    if path is None or path == "-":
        return Stdout()
    if append or is_special(path):
        mode = "a" if append else "w"
        return Append(path, mode + "b" if binary else mode)
    return Atomic(path, binary=binary)
