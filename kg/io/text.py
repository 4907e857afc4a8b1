"""Plain text: one document per non-blank line, or one per file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.io.record import Source
from kg.model import Document


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


def parse_lines(lines: Iterable[str], source: Source) -> Iterator[Document]:
    """One Document per line that is not blank, id ``<stem>:<physical line>``."""
    for number, line in enumerate(lines, 1):
        text = strip_newline(line)
        if text.strip():
            where = f"{source.name}:{number}"
            yield Document(id=f"{source.stem}:{number}", text=text, origin=where)


def parse_whole(text: str, source: Source) -> Iterator[Document]:
    """The whole text as one Document with id ``<stem>``, unless it is blank."""
    if text.strip():
        yield Document(id=source.stem, text=text, origin=source.name)
