"""Turn one structured record (a JSON object or a CSV row) into a Document."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kg.io.chars import repair_field
from kg.io.dates import parse_date
from kg.model import Document, Problem


# The longest text read, in characters. Extraction reads a long text in windows (its time and
# memory grow with its length), but the store's bulk load of one document's graph takes about
# ten times its N-Quads (3,200,000 characters: a 2 GiB build); a longer text is reported and
# skipped, never a build run out of memory (a 56 MB line was OOM-killed at 21.5 GB).
MAX_TEXT = 5_000_000


def too_long(text: str) -> str | None:
    """The message for a text over ``MAX_TEXT`` characters; None for any other."""
    if len(text) <= MAX_TEXT:
        return None
    return f"'text' is {len(text):,} characters, over the limit of {MAX_TEXT:,}; record skipped"


@dataclass(frozen=True, slots=True)
class Source:
    """Where records come from: ``name`` for messages, ``stem`` for default ids."""

    name: str
    stem: str


def _kind(value: object) -> str:
    """A JSON-ish name for the type of ``value``, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def build_document(
    fields: Mapping[str, object], source: Source, line: int
) -> Iterator[Document | Problem]:
    """Yield the Document for ``fields`` (plus warnings), or a Problem if it is unusable.

    ``text`` must be a string; a record whose text is blank or longer than ``MAX_TEXT``
    characters is reported and skipped.
    ``id`` may be a string or an integer; missing or empty -> ``<stem>:<line>``.
    ``url`` falls back to ``source``. Bad ``date``/``title``/``url`` values are
    reported as warnings and dropped; the record is kept. Characters RDF/XML cannot
    hold (controls, lone surrogates) become U+FFFD with a warning (``kg.io.chars``).
    """
    where = f"{source.name}:{line}"
    text = fields.get("text")
    if text is None:
        yield Problem(where, "missing 'text', record skipped")
        return
    if not isinstance(text, str):
        yield Problem(where, f"'text' must be a string, found {_kind(text)}; record skipped")
        return
    if not text.strip():
        yield Problem(where, "blank 'text', record skipped")
        return
    if (message := too_long(text)) is not None:
        yield Problem(where, message)
        return
    raw_id = fields.get("id")
    if raw_id is None or raw_id == "":
        doc_id = f"{source.stem}:{line}"
    elif isinstance(raw_id, str):
        doc_id = raw_id
    elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    else:
        yield Problem(where, f"'id' must be a string, found {_kind(raw_id)}; record skipped")
        return
    warnings: list[str] = []
    title = _optional_str(fields, "title", warnings)
    url = _optional_str(fields, "url", warnings)
    if url is None and fields.get("url") is None:
        url = _optional_str(fields, "source", warnings)
    date = _date(fields.get("date"), warnings)
    doc_id = repair_field("id", doc_id, warnings)
    text = repair_field("text", text, warnings)
    title = None if title is None else repair_field("title", title, warnings)
    url = None if url is None else repair_field("url", url, warnings)
    for message in warnings:
        yield Problem(where, message, severity="warning")
    yield Document(id=doc_id, text=text, date=date, title=title, url=url, origin=where)


def _optional_str(fields: Mapping[str, object], key: str, warnings: list[str]) -> str | None:
    value = fields.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    warnings.append(f"'{key}' must be a string, found {_kind(value)}; ignored, record kept")
    return None


def _date(value: object, warnings: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is None and value.strip():
            warnings.append(f"unparseable date {value!r}; record kept without a date")
        return parsed
    warnings.append(f"'date' must be a string, found {_kind(value)}; record kept without a date")
    return None
