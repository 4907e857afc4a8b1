"""CSV with a header row: a ``text`` column and optional id/date/title/url."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from kg.io.record import Source, build_document
from kg.model import Document, Problem

FIELD_LIMIT = 2**31 - 1  # the largest limit every platform's C long accepts


def _next_row(reader: Iterator[list[str]]) -> list[str]:
    """``next(reader)`` with the csv field size limit raised only for this call.

    The limit is process-wide state; it is restored so other code keeps its own.
    """
    previous = csv.field_size_limit(FIELD_LIMIT)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


def parse_csv(lines: Iterable[str], source: Source) -> Iterator[Document | Problem]:
    """Documents of a CSV stream; line numbers are where each record starts."""
    reader = csv.reader(lines)
    header: list[str] | None = None
    end = 0  # physical lines consumed so far
    while True:
        start = end + 1
        try:
            row = _next_row(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            yield Problem(f"{source.name}:{start}", f"malformed CSV ({exc}), record skipped")
            continue
        end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [name.strip().lower() for name in row]
            if "text" not in header:
                found = ", ".join(repr(name) for name in header)
                yield Problem(
                    f"{source.name}:{start}",
                    f"no 'text' column in the CSV header (found {found}), file skipped",
                )
                return
            continue
        if len(row) != len(header):
            yield Problem(
                f"{source.name}:{start}",
                f"expected {len(header)} fields, found {len(row)}; record skipped",
            )
            continue
        yield from build_document(dict(zip(header, row, strict=True)), source, start)
