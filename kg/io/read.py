"""``read_documents``: paths, directories or stdin -> a stream of Documents.

Formats, by suffix (case-insensitive): ``.txt`` one document per non-blank line
(``per_file=True``: one per file), ``.jsonl`` one JSON object per line, ``.csv``
with a header row. ``-`` is standard input, read as ``stdin_format``.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path

from kg.errors import InputError
from kg.io import decode
from kg.io.csv import parse_csv
from kg.io.jsonl import parse_jsonl
from kg.io.record import Source
from kg.io.text import parse_lines, parse_whole
from kg.model import Document, Problem

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".jsonl", ".csv")
STDIN = "-"
STDIN_FORMATS: tuple[str, ...] = ("txt", "jsonl", "csv")
STDIN_NAME = "<stdin>"

Report = Callable[[Problem], None]
_log = logging.getLogger(__name__)


def _log_problem(problem: Problem) -> None:
    """Default ``report``: a WARNING on the ``kg.io.read`` logger (never a print)."""
    _log.warning("%s", problem)


def read_documents(
    sources: Sequence[str | Path],
    *,
    per_file: bool = False,
    encoding: str | None = None,
    report: Report | None = None,
    stdin_format: str = "txt",
) -> Iterator[Document]:
    """Stream the Documents of ``sources`` in order; bad files and records go to ``report``.

    - A source is a file, a directory (read recursively, files in code-point
      order of their path components; hidden names and unsupported suffixes are
      skipped silently) or ``-`` for standard input. FIFOs, sockets and devices
      are reported and never opened (reading one could block for ever).
    - ``.txt``: one document per non-blank line, text kept exactly but for the
      trailing ``\\n``/``\\r\\n``, id ``<stem>:<line>``; with ``per_file`` the
      whole file is one document with id ``<stem>``. ``per_file`` does not
      affect ``.jsonl``/``.csv``.
    - ``.jsonl``/``.csv``: fields ``text`` (required), ``id`` (default
      ``<stem>:<line>``), ``date`` (normalised to ISO 8601), ``title``, ``url``
      (or ``source``). Other fields are ignored.
    - Standard input is plain text lines unless ``stdin_format`` is ``"jsonl"``
      or ``"csv"``; its ids use the stem ``stdin``.
    - Files are UTF-8 (a BOM is removed). A file that is not UTF-8 is decoded
      with ``encoding`` if given, else skipped with a Problem naming the likely
      encoding. Binary files (``kg.io.decode.is_binary`` on the first 8 KiB) are
      skipped; UTF-16 without a byte order mark is named. Characters RDF/XML
      cannot hold (NUL and other controls, lone surrogates) become U+FFFD in the
      record, with a warning, wherever they are in the file.
    - A record whose text is blank is reported and skipped (a blank line of a
      ``.txt`` file is a separator, not a record).
    - A record whose id was already seen in this call is skipped with a
      Problem; a file met twice (e.g. inside a directory and by name) is read once.
    - Only one file is open at a time and line formats are read line by line.

    ``report`` receives every Problem (``severity`` ``"warning"`` when the record
    was kept); without it problems are logged as warnings on ``kg.io.read``.
    Nothing is raised for bad input; InputError is raised (by the call itself,
    before any reading) only for an unknown ``encoding`` or ``stdin_format``.
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    codec = decode.check_encoding(encoding)
    if stdin_format not in STDIN_FORMATS:
        choices = ", ".join(STDIN_FORMATS)
        raise InputError(f"unknown stdin format {stdin_format!r}; choose one of: {choices}")
    emit = report if report is not None else _log_problem
    return _unique(_read_all(sources, per_file, codec, stdin_format, emit), emit)


def _unique(items: Iterable[Document | Problem], emit: Report) -> Iterator[Document]:
    seen: dict[str, str] = {}
    for item in items:
        if isinstance(item, Problem):
            emit(item)
            continue
        first = seen.get(item.id)
        if first is not None:
            emit(Problem(item.origin, f"duplicate id {item.id!r} (first seen at {first}), skipped"))
            continue
        seen[item.id] = item.origin
        yield item


def _read_all(
    sources: Sequence[str | Path],
    per_file: bool,
    encoding: str | None,
    stdin_format: str,
    emit: Report,
) -> Iterator[Document | Problem]:
    done: set[Path] = set()
    for source in sources:
        if str(source) == STDIN:
            yield from _read_stdin(per_file, encoding, stdin_format, emit)
            continue
        path = Path(source)
        if path.is_dir():
            files = yield from _walk(path)
        elif path.exists() and not path.is_file():
            yield _not_regular(path)
            continue
        elif path.exists():
            suffix = path.suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                supported = ", ".join(SUPPORTED_SUFFIXES)
                yield Problem(
                    str(path),
                    f"unsupported file type {suffix or '(none)'!r}; "
                    f"supported: {supported}, or '-' for stdin",
                )
                continue
            files = [path]
        else:
            yield Problem(str(path), "no such file or directory")
            continue
        for file in files:
            key = file.resolve()
            if key not in done:
                done.add(key)
                yield from _read_file(file, per_file, encoding)


def _walk(root: Path) -> Generator[Problem, None, list[Path]]:
    """Report unreadable directories; return the supported files under ``root``, sorted.

    A generator that *returns* the list, used as ``files = yield from _walk(root)``.
    """
    errors: list[OSError] = []
    found: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=errors.append):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(folder)
        for name in names:
            if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            path = base / name
            if path.is_file():
                found.append(path)
            elif path.exists():
                yield _not_regular(path)
    for error in errors:
        yield Problem(str(error.filename or root), f"cannot read directory: {error.strerror}")
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def _not_regular(path: Path) -> Problem:
    """A FIFO, socket or device: reading it could block for ever, so it is never opened."""
    mode = path.stat().st_mode
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return Problem(str(path), f"{kind}, not a regular file; skipped (pipe data into '-' instead)")


def _read_file(path: Path, per_file: bool, encoding: str | None) -> Iterator[Document | Problem]:
    where = str(path)
    source = Source(where, path.stem)
    suffix = path.suffix.lower()
    try:
        chosen = decode.plan(path, encoding)
        if isinstance(chosen, Problem):
            yield chosen
            return
        if suffix == ".txt" and per_file:
            yield from parse_whole(decode.read_all(path, chosen), source)
        elif suffix == ".txt":
            yield from parse_lines(decode.lines(path, chosen), source)
        elif suffix == ".jsonl":
            yield from parse_jsonl(decode.lines(path, chosen), source)
        else:
            yield from parse_csv(decode.lines(path, chosen), source)
    except OSError as exc:
        yield Problem(where, f"cannot read: {exc.strerror or exc}")
    except UnicodeError as exc:  # the file changed between check and read
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
        yield Problem(where, f"cannot decode ({reason}); rest of the file skipped")


def _read_stdin(
    per_file: bool, encoding: str | None, stdin_format: str, emit: Report
) -> Iterator[Document | Problem]:
    if sys.stdin is None:
        yield Problem(STDIN_NAME, "no standard input")
        return
    source = Source(STDIN_NAME, "stdin")
    lines = decode.stdin_lines(sys.stdin, encoding, emit, STDIN_NAME)
    if stdin_format == "jsonl":
        yield from parse_jsonl(lines, source)
    elif stdin_format == "csv":
        yield from parse_csv(lines, source)
    elif per_file:
        yield from parse_whole("".join(lines), source)
    else:
        yield from parse_lines(lines, source)
