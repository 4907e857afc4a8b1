"""Plain text: one document per non-blank line, or one per file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.io.chars import describe, repair
from kg.io.record import Source, too_long
from kg.model import Document, Problem


def strip_newline(line: str) -> str:
    """Remove one trailing ``\\n`` or ``\\r\\n``; nothing else.

    >>> strip_newline(" a\\t\\r\\n"), strip_newline("b\\r")
    (' a\\t', 'b\\r')
    """
    if line.endswith("\r\n"):
        return line[:-2]
    if line.endswith("\n"):
        return line[:-1]
    return line


def parse_lines(lines: Iterable[str], source: Source) -> Iterator[Document | Problem]:
    """One Document per line that is not blank, id ``<stem>:<physical line>``; a line over
    ``MAX_TEXT`` characters is reported and skipped.

    Characters RDF/XML cannot hold become U+FFFD, with a warning (``kg.io.chars``).
    """
    for number, line in enumerate(lines, 1):
        text = strip_newline(line)
        if text.strip():
            yield from _document(f"{source.stem}:{number}", text, f"{source.name}:{number}")


def parse_whole(text: str, source: Source) -> Iterator[Document | Problem]:
    """The whole text as one Document with id ``<stem>``, unless it is blank."""
    if text.strip():
        yield from _document(source.stem, text, source.name)


def _document(doc_id: str, text: str, where: str) -> Iterator[Document | Problem]:
    if (message := too_long(text)) is not None:
        yield Problem(where, message)
        return
    repaired, count, first = repair(text)
    if count:
        yield Problem(where, describe("text", count, first, text[first]), severity="warning")
    yield Document(id=doc_id, text=repaired, origin=where)
