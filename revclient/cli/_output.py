"""Where pulled records go: JSONL, CSV or JSON, to stdout, atomically to a file, or appended.

Every writer leaves valid output whenever it stops: records are written page by page and
flushed, so an interrupted pull ends on a record boundary, and :meth:`Writer.finish` closes
the format (the JSON array, the CSV header) whether the pull completed or was interrupted.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from typing import IO, Any, Literal, Protocol

__all__ = ["FORMATS", "Format", "Writer", "flatten", "open_writer"]

Format = Literal["jsonl", "csv", "json"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "json")


def _dumps(record: Any) -> str:
    # default=str: a model's to_dict() may hold dates; the raw payload is plain JSON anyway.
    return json.dumps(record, ensure_ascii=False, default=str)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """One CSV row: nested objects become dotted columns (``address.city``).

    Lists are kept whole as JSON text (their length varies from record to record, so
    indexed columns would be unstable); ``null`` is an empty cell, booleans are
    ``true``/``false`` as in JSON.
    """
    row: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            row.update(flatten(value, name + "."))
        elif value is None:
            row[name] = ""
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        elif isinstance(value, str):
            row[name] = value
        elif isinstance(value, int | float):
            row[name] = str(value)
        else:
            row[name] = _dumps(value)
    return row


# ---------------------------------------------------------------------------- targets


class _Target(Protocol):
    stream: IO[str]

    def commit(self) -> None: ...

    def abort(self) -> None: ...


class _Stdout:
    """Standard output: nothing to commit or discard, only flush."""

    def __init__(self) -> None:
        self.stream: IO[str] = sys.stdout

    def commit(self) -> None:
        self.stream.flush()

    def abort(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.stream.flush()


class _Atomic:
    """A temporary file beside ``path``, renamed over it on commit (readers never see half)."""

    def __init__(self, path: str) -> None:
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        try:
            fd, self.temp = tempfile.mkstemp(
                dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".part"
            )
        except OSError as exc:
            # Name the file the user asked for, not the temporary one.
            raise OSError(exc.errno, exc.strerror, path) from None
        self.stream: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def commit(self) -> None:
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        # mkstemp creates 0600; give the file the mode a plain open() would have.
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(self.temp, mode)
            os.replace(self.temp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            raise OSError(exc.errno, exc.strerror, self.path) from None

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


class _Append:
    """Writes in place (appends with ``mode="a"``): not atomic by design, every flushed
    record stays."""

    def __init__(self, path: str, mode: str = "a") -> None:
        self.path = path
        self.stream: IO[str] = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        self.stream.close()

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()


def _target(path: str | None, append: bool) -> _Target:
    if path is None or path == "-":
        return _Stdout()
    if append or _special(path):
        # A device, FIFO or socket (/dev/stdout, a named pipe) is written in place: a
        # temporary file renamed over it would replace it with a regular file.
        return _Append(path, "a" if append else "w")
    return _Atomic(path)


def _special(path: str) -> bool:
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:
        return False  # not there yet: a new regular file


# ---------------------------------------------------------------------------- writers


class Writer:
    """Base writer: ``write`` a page of records, then ``finish`` (keep) or ``discard``."""

    def __init__(self) -> None:
        #: Records written so far.
        self.records = 0

    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Write one page of records and flush it."""
        raise NotImplementedError

    def finish(self) -> None:
        """Close the format and keep the output (also after an interrupt)."""
        raise NotImplementedError

    def discard(self) -> None:
        """Drop the output of an atomic write after an error (appended data stays)."""
        raise NotImplementedError

    def salvage(self) -> str | None:
        """After an error: keep every record already pulled, in a valid file.

        An atomic write goes to ``FILE.partial`` (the destination is left untouched, so a
        failed pull never replaces a good file); an appended file keeps its new records.
        Returns where the records are, or ``None`` when there is nothing to keep (no
        record, or standard output, which already has them).
        """
        target = getattr(self, "_target", None)
        if self.records == 0:
            self.discard()
            return None
        kept: str | None = None
        if isinstance(target, _Atomic):
            target.path += ".partial"
            kept = target.path
        elif target is None or isinstance(target, _Append):
            kept = getattr(self, "_path", None) or getattr(target, "path", None)
        self.finish()
        return kept


class _Pages(Writer):
    """Writes each page whole or not at all: straight to the file descriptor, and on a
    failed write (a full disk) the file is cut back to the end of the last whole page, so
    a kept file holds complete records only and ``records`` counts exactly those."""

    def __init__(self, target: _Target) -> None:
        super().__init__()
        self._target = target
        self._size = 0
        try:
            self._fd: int | None = target.stream.fileno()
            self._size = os.fstat(self._fd).st_size  # appending: what was there stays
        except (OSError, ValueError):
            self._fd = None  # a stream without a descriptor (tests capturing stdout)

    def _write(self, text: str, records: int) -> None:
        if self._fd is None:
            self._target.stream.write(text)
            self._target.stream.flush()
            self.records += records
            return
        encoded = text.encode("utf-8")
        data = memoryview(encoded)
        try:
            while data:
                data = data[os.write(self._fd, data) :]
        except OSError:
            with contextlib.suppress(OSError):  # not a regular file: nothing to cut
                os.ftruncate(self._fd, self._size)
                os.lseek(self._fd, self._size, os.SEEK_SET)  # truncating leaves the offset
            raise
        self._size += len(encoded)
        self.records += records


class _JsonLines(_Pages):
    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        lines = [_dumps(record) + "\n" for record in records]
        self._write("".join(lines), len(lines))

    def finish(self) -> None:
        self._target.commit()

    def discard(self) -> None:
        self._target.abort()


class _JsonArray(_Pages):
    """One JSON array, one record per line; the closing bracket is written by ``finish``."""

    def __init__(self, target: _Target) -> None:
        super().__init__(target)
        self._write("[", 0)

    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        items = [",\n" + _dumps(record) for record in records]
        if items and self.records == 0:
            items[0] = items[0][1:]  # no comma before the first record
        self._write("".join(items), len(items))

    def finish(self) -> None:
        self._write("\n]\n" if self.records else "]\n", 0)
        self._target.commit()

    def discard(self) -> None:
        self._target.abort()


class _Csv(Writer):
    """CSV needs every column before the first row, and records may differ in fields.

    Rows are spooled (flattened, as JSON lines) to an anonymous temporary file while the
    union of columns grows in first-seen order; ``finish`` writes header and rows. With
    ``--append`` the existing header is kept when it covers every column, else the file is
    rewritten (atomically) with the wider header.
    """

    def __init__(self, path: str | None, append: bool) -> None:
        super().__init__()
        self._path = path
        self._append = append and path not in (None, "-")
        self._columns: dict[str, None] = {}
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        # Fail early (before any request) when the destination cannot be written.
        self._target: _Target | None = None
        if not self._append:
            self._target = _target(path, False)

    def write(self, records: Iterable[Mapping[str, Any]]) -> None:
        for record in records:
            row = flatten(record)
            for name in row:
                self._columns.setdefault(name)
            self._spool.write(_dumps(row) + "\n")
            self.records += 1

    def _rows(self) -> Iterable[dict[str, str]]:
        self._spool.seek(0)
        for line in self._spool:
            row: dict[str, str] = json.loads(line)
            yield row

    def finish(self) -> None:
        try:
            if self._target is not None:
                self._emit(self._target, list(self._columns), header=True)
            else:
                self._finish_append()
        finally:
            self._spool.close()

    def _emit(
        self,
        target: _Target,
        columns: list[str],
        *,
        header: bool,
        before: Iterable[dict[str, str]] = (),
    ) -> None:
        try:
            writer = csv.DictWriter(target.stream, fieldnames=columns, restval="")
            if header and columns:
                writer.writeheader()
            writer.writerows(before)
            writer.writerows(self._rows())
        except BaseException:
            target.abort()
            raise
        target.commit()

    def _finish_append(self) -> None:
        assert self._path is not None
        try:
            with open(self._path, encoding="utf-8", newline="") as existing:
                header = next(csv.reader(existing), [])
        except FileNotFoundError:
            header = []
        if not header:
            self._emit(_Append(self._path), list(self._columns), header=True)
        elif all(name in header for name in self._columns):
            self._emit(_Append(self._path), header, header=False)
        else:
            with open(self._path, encoding="utf-8", newline="") as existing:
                old = list(csv.DictReader(existing))
            wider = header + [name for name in self._columns if name not in header]
            self._emit(_Atomic(self._path), wider, header=True, before=old)

    def discard(self) -> None:
        self._spool.close()
        if self._target is not None:
            self._target.abort()


def open_writer(fmt: Format, path: str | None, *, append: bool = False) -> Writer:
    """A writer for ``fmt`` to ``path`` (``None`` or ``"-"``: stdout).

    Without ``append`` a file is written to a temporary file and renamed into place by
    :meth:`Writer.finish`; :meth:`Writer.discard` leaves any existing file untouched.
    """
    if fmt == "csv":
        return _Csv(path, append)
    if fmt == "json":
        if append and path not in (None, "-"):
            raise ValueError("--append works with --format jsonl or csv, not json")
        return _JsonArray(_target(path, False))
    return _JsonLines(_target(path, append))
