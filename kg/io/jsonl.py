"""JSON Lines: one object per line with ``text`` and optional id/date/title/url."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from kg.io.record import Source, build_document
from kg.model import Document, Problem


def parse_jsonl(lines: Iterable[str], source: Source) -> Iterator[Document | Problem]:
    """Documents of a JSONL stream; a bad line becomes a Problem and is skipped."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(
                f"{source.name}:{number}",
                f"malformed JSON ({exc.msg.removesuffix(' at')} at column {exc.colno}), record skipped",
            )
            continue
        except RecursionError:
            yield Problem(f"{source.name}:{number}", "JSON nested too deeply, record skipped")
            continue
        if not isinstance(record, dict):
            found = type(record).__name__
            yield Problem(f"{source.name}:{number}", f"expected a JSON object, found {found}")
            continue
        yield from build_document(record, source, number)
