"""Long texts in windows: the extractor's time and memory stay linear in the length of a text.

natasha and the readers are fast on news-sized texts but not on one of megabytes (1 MB
took 75 s and 1.1 GB; 56 MB ran the machine out of memory). A text longer than
``WINDOW`` characters is cut into consecutive windows of at most ``WINDOW``
characters, at a paragraph break, else a sentence end, else a space, in the second
half of the window (``cut``); each window is read as a document of its own, and the
window's extractions are joined into one (``join``): every span is shifted back by its
window's start, so offsets into the raw text stay exact; entities met in several
windows (same kind and key) become one, with all their mentions; facts keep their
window's evidence. A fact whose words straddle a cut is not read: cuts fall between
paragraphs or sentences, where facts rarely do.

>>> cut("Первый абзац.\\n\\nВторой абзац. Ещё предложение.", 30)
[(0, 15), (15, 45)]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from kg.model import Document, Entity, Extraction, Fact, Span

WINDOW = 20_000  # characters; news documents are shorter and are read whole

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"[.!?…»\"]\s+")
_SPACE = re.compile(r"\s+")
# Fact fields that hold entity ids (one id, a tuple of ids, or None); every other field of a
# fact is a value (a Span is shifted). tests/extract/test_windows.py checks every fact type's
# fields are one or the other, so a new reference field cannot be missed here.
ID_FIELDS = frozenset({"holder", "post_in", "cluster", "target", "parties", "signatories", "witnesses",
                       "about", "place", "participants", "body"})


def cut(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """Consecutive ``(start, stop)`` windows covering ``text``, each at most ``size`` characters."""
    windows: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        stop = _boundary(text, start, start + size // 2, start + size)
        windows.append((start, stop))
        start = stop
    windows.append((start, len(text)))
    return windows


def _boundary(text: str, start: int, low: int, high: int) -> int:
    """The last paragraph break, else sentence end, else space of ``text[start:high]`` ending in
    ``[low, high]``; else ``high``."""
    for pattern in (_PARAGRAPH, _SENTENCE, _SPACE):
        ends = [m.end() for m in pattern.finditer(text, start, high) if low <= m.end() <= high]
        if ends:
            return ends[-1]
    return high


def split(doc: Document, size: int = WINDOW) -> list[tuple[int, Document]]:
    """``doc`` as ``(offset, window document)`` pairs (one pair, ``doc`` itself, when it is short)."""
    if len(doc.text) <= size:
        return [(0, doc)]
    return [(start, dataclasses.replace(doc, text=doc.text[start:stop])) for start, stop in cut(doc.text, size)]


def join(doc: Document, parts: Sequence[tuple[int, Extraction]]) -> Extraction:
    """One Extraction of ``doc`` from its windows' extractions, offsets shifted back."""
    if len(parts) == 1 and parts[0][0] == 0:
        return dataclasses.replace(parts[0][1], document=doc)
    entities: dict[str, list[Entity]] = {}  # id in the joined extraction -> that entity in each window
    by_key: dict[tuple[str, str], str] = {}
    facts: list[Fact] = []
    sentences: set[tuple[int, int]] = set()
    for number, (offset, part) in enumerate(parts):
        sentences.update((start + offset, stop + offset) for start, stop in part.sentences)
        ids: dict[str, str] = {}
        for entity in part.entities:
            key = (entity.kind.value, entity.key)
            ids[entity.id] = by_key.setdefault(key, entity.id if number == 0 else f"w{number}.{entity.id}")
        for entity in part.entities:
            moved = _move_entity(entity, offset, ids)
            entities.setdefault(moved.id, []).append(moved)
        facts.extend(_move_fact(fact, offset, ids) for fact in part.facts)
    return Extraction(document=doc, entities=tuple(_merge(seen) for seen in entities.values()), facts=tuple(facts),
                      sentences=tuple(sorted(sentences)))


def _shift(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.stop + offset, span.text)


def _move_entity(entity: Entity, offset: int, ids: dict[str, str]) -> Entity:
    return dataclasses.replace(
        entity, id=ids[entity.id], mentions=tuple(_shift(m, offset) for m in entity.mentions),
        located_in=None if entity.located_in is None else ids.get(entity.located_in),
        sectors=tuple(ids[s] for s in entity.sectors if s in ids))


def _merge(seen: list[Entity]) -> Entity:
    """One entity from the windows it is met in: the first's label, every mention and other
    name, each attribute from the first window that has it. Built once from all the windows
    (merging them two by two copied the mentions read so far at each window: quadratic in
    the windows of an entity named throughout a long text)."""
    first = seen[0]
    if len(seen) == 1:
        return first
    alt = [*first.alt_labels]
    for more in seen[1:]:
        alt.extend([more.label] if more.label != first.label else [])
        alt.extend(more.alt_labels)
    return dataclasses.replace(
        first, mentions=tuple(m for e in seen for m in e.mentions),
        alt_labels=tuple(dict.fromkeys(a for a in alt if a != first.label)),
        legal_form=_first(e.legal_form for e in seen), iso_code=_first(e.iso_code for e in seen),
        wikidata=_first(e.wikidata for e in seen), located_in=_first(e.located_in for e in seen),
        sectors=tuple(dict.fromkeys(s for e in seen for s in e.sectors)))


def _first(values: Iterable[str | None]) -> str | None:
    """The first true value (as ``a or b or ...``: the last one when none is)."""
    value: str | None = None
    for value in values:
        if value:
            return value
    return value


def _move_fact(fact: Fact, offset: int, ids: dict[str, str]) -> Fact:
    """``fact`` with its spans shifted by ``offset`` and its entity ids renamed by ``ids``."""
    changes: dict[str, object] = {}
    for name in fact_fields(fact):
        value = getattr(fact, name)
        if isinstance(value, Span):
            changes[name] = _shift(value, offset)
        elif name in ID_FIELDS:
            changes[name] = _map_ids(value, ids)
    moved: Fact = dataclasses.replace(cast(Any, fact), **changes)
    return moved


def fact_fields(fact: Fact | type) -> tuple[str, ...]:
    """The field names of a fact (every fact type's class is a dataclass)."""
    return tuple(field.name for field in dataclasses.fields(cast(Any, fact)))


def _map_ids(value: object, ids: dict[str, str]) -> object:
    if value is None:
        return None
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, tuple):
        return tuple(dict.fromkeys(ids.get(v, v) for v in value))
    return value
