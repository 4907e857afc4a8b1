"""Hand-made extractions for the evaluation tests (no NLP models)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.model import Agreement, Document, Entity, Event, Extraction, Fact, Kind, Post, Span

DATA = Path(__file__).parent / "data"


def span_of(text: str, part: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span(start, start + len(part), part)


def entity(text: str, eid: str, kind: Kind, label: str, *parts: str) -> Entity:
    return Entity(eid, kind, label.lower(), label, tuple(span_of(text, p) for p in parts))


def book_1(doc: Document) -> Extraction:
    """A perfect reading of tests/evaluate/data/factru/book_1.txt."""
    t = doc.text
    entities = (
        entity(t, "r1", Kind.REGION, "Калужская область", "Калужской области"),
        entity(t, "p1", Kind.PERSON, "Иван Петров", "Иван Петров"),
        entity(t, "p2", Kind.PERSON, "Анна Смирнова", "Анной Смирновой"),
        entity(t, "s1", Kind.SETTLEMENT, "Москва", "Москве"),
    )
    facts: tuple[Fact, ...] = (
        Post("p1", "губернатор", "r1", span_of(t, "Губернатор Калужской области Иван Петров")),
        Event("встреча", span_of(t, t[: t.index(".")]), participants=("p1", "p2"), place="s1"),
    )
    return Extraction(doc, entities, facts)


def book_2(doc: Document) -> Extraction:
    t = doc.text
    entities = (
        entity(t, "c1", Kind.COMPANY, "Северный ветер", "Северный ветер"),
        entity(t, "p1", Kind.PERSON, "Ольга Иванова", "Ольги Ивановой"),
    )
    deal = Agreement("договор купли-продажи", span_of(t, t), parties=("c1", "p1"))
    return Extraction(doc, entities, (deal,))


class FakeExtractor:
    """Returns the hand-made extraction of a known document, an empty one otherwise."""

    def __init__(self, readers: dict[str, Callable[[Document], Extraction]] | None = None) -> None:
        self.readers = readers if readers is not None else {"book_1": book_1, "book_2": book_2}
        self.seen: list[str] = []

    def extract(self, doc: Document) -> Extraction:
        self.seen.append(doc.id)
        reader = self.readers.get(doc.id)
        return reader(doc) if reader else Extraction(doc)


Reader = Callable[[Document], Extraction]


@pytest.fixture
def readers() -> dict[str, Reader]:
    """Hand-made extractions by document id."""
    return {"book_1": book_1, "book_2": book_2}


@pytest.fixture
def fake_extractor() -> FakeExtractor:
    return FakeExtractor()
