"""Long texts are read in windows (kg.extract.windows): the result is the windows' results,
joined with exact offsets into the whole text (issue 16, item 4)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pytest

import kg.facts
from kg.demo import generate
from kg.extract import Extractor
import kg.extract.windows as windows
from kg.extract.windows import ID_FIELDS, WINDOW, cut, fact_fields, join, split
from kg.model import Document, Entity, Extraction, Kind, Span

# Fields of a fact that are values, not entity ids. A new field of a fact type must be put
# here or in windows.ID_FIELDS, or the ids of facts read in later windows would be wrong.
VALUE_FIELDS = frozenset({"title", "role", "type", "date", "label", "evidence", "rule", "confidence"})


def test_windows_every_fact_field_is_an_id_or_a_value() -> None:
    for fact_type in kg.facts.FACTS:
        for name in fact_fields(fact_type.cls):
            assert (name in ID_FIELDS) != (name in VALUE_FIELDS), (fact_type.name, name)


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("короткий текст", 30, [(0, 14)]),
    ("Первый абзац.\n\nВторой абзац. Ещё предложение.", 30, [(0, 15), (15, 45)]),
    ("Одно предложение. Другое предложение. Третье.", 30, [(0, 18), (18, 45)]),
    ("Одно предложение. Другое предложение. Третье.", 20, [(0, 18), (18, 38), (38, 45)]),
    ("слово " * 10, 20, [(0, 18), (18, 36), (36, 54), (54, 60)]),
    ("я" * 50, 20, [(0, 20), (20, 40), (40, 50)]),
])
def test_windows_cut(text: str, size: int, expected: list[tuple[int, int]]) -> None:
    assert cut(text, size) == expected


@pytest.mark.parametrize("size", [7, 20, 64, 1000])
def test_windows_cut_covers_the_text_in_order(size: int) -> None:
    text = "\n\n".join(r["text"] for r in generate(5, seed=11))
    windows = cut(text, size)
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:]))
    assert all(0 < stop - start <= size for start, stop in windows)


def long_document(windows: int) -> Document:
    """Generated news (kg.demo) joined into one text over ``windows`` windows long."""
    records = iter(generate(100_000, seed=23))
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) <= windows * WINDOW:
        parts.append(next(records)["text"])
    return Document(id="long", text="\n\n".join(parts), date="2024-05-01")


def signature(extraction: Extraction, offset: int = 0) -> tuple[Counter[Any], dict[tuple[str, str], set[int]]]:
    """The facts (entity ids replaced by their kind and key, spans shifted by ``offset``) and each
    entity's mention starts: what a joined extraction must hold of its windows."""
    key = {e.id: (e.kind.value, e.key) for e in extraction.entities}

    def value(name: str, v: Any) -> Any:
        if isinstance(v, Span):
            return (v.start + offset, v.stop + offset, v.text)
        if name in ID_FIELDS:
            return tuple(key[i] for i in v) if isinstance(v, tuple) else (None if v is None else key[v])
        return v

    facts = Counter((type(f).__name__, tuple(value(n, getattr(f, n)) for n in fact_fields(f)))
                    for f in extraction.facts)
    mentions = {(e.kind.value, e.key): {m.start + offset for m in e.mentions} for e in extraction.entities}
    return facts, mentions


@pytest.mark.slow
def test_windows_long_text_is_its_windows_joined(extractor: Extractor) -> None:
    doc = long_document(3)
    assert len(split(doc)) >= 4
    whole = extractor.extract(doc)
    facts: Counter[Any] = Counter()
    mentions: dict[tuple[str, str], set[int]] = {}
    for offset, window in split(doc):
        part_facts, part_mentions = signature(extractor.extract(window), offset)
        facts.update(part_facts)
        for k, starts in part_mentions.items():
            mentions.setdefault(k, set()).update(starts)
    got_facts, got_mentions = signature(whole)
    assert got_facts == facts
    assert got_mentions == mentions
    assert len(whole.entities) == len({(e.kind, e.key) for e in whole.entities})  # one per kind and key
    assert any(f.evidence.start > 2 * WINDOW for f in whole.facts)  # facts of the later windows are kept
    for span in [m for e in whole.entities for m in e.mentions] + [f.evidence for f in whole.facts]:
        assert doc.text[span.start:span.stop] == span.text
    ids = {e.id for e in whole.entities}
    for fact in whole.facts:
        for name in ID_FIELDS & set(fact_fields(fact)):
            value = getattr(fact, name)
            assert {value} - {None} <= ids if isinstance(value, str | None) else set(value) <= ids


@pytest.mark.slow
def test_windows_in_a_batch_as_alone(extractor: Extractor) -> None:
    """extract_many (what kg build calls) reads a long text among short ones as extract does."""
    long = long_document(2)
    short = [Document(r["id"], r["text"]) for r in generate(3, seed=5)]
    docs = [short[0], long, short[1], short[2]]
    assert extractor.extract_many(docs) == [extractor.extract(d) for d in docs]


def window_extraction(number: int, mentions: int) -> tuple[int, Extraction]:
    """A window of 100 characters at ``number * 100`` naming one company ``mentions`` times
    (other names, attributes and sectors vary by window) and a region once."""
    doc = Document("long", "x" * 100)
    company = Entity("e1", Kind.COMPANY, "acme", "ACME" if number % 3 else "Акме",
                     tuple(Span(i, i + 1, "x") for i in range(mentions)),
                     alt_labels=(f"alt{number % 4}",), legal_form=None if number < 2 else f"АО{number}",
                     wikidata=None if number % 5 else "", located_in="e2" if number % 2 else None,
                     sectors=("e2",) if number == 3 else ())
    region = Entity("e2", Kind.REGION, f"r{number % 7}", "R", (Span(99, 100, "x"),))
    return number * 100, Extraction(doc, (company, region))


def test_windows_join_copies_each_mention_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entity named in every window of a long text: the join writes each of its mentions
    into the joined entity once (merging two windows at a time copied all the mentions read so
    far at each window: 100 windows of 50 mentions, ~250,000 copies), and keeps every mention
    with its offset, the first window's label and each attribute from the first window having it."""
    parts = [window_extraction(n, 50) for n in range(100)]
    written = 0
    replace = dataclasses.replace

    def counting(obj: Any, **changes: Any) -> Any:
        nonlocal written
        written += len(changes.get("mentions", ()))
        return replace(obj, **changes)

    monkeypatch.setattr(windows.dataclasses, "replace", counting)
    joined = join(Document("long", "x" * 10_000), parts)
    monkeypatch.undo()
    assert written <= 2 * 100 * 51  # each mention moved by its window's offset, then joined once
    acme = next(e for e in joined.entities if e.key == "acme")
    assert [m.start for m in acme.mentions] == [n * 100 + i for n in range(100) for i in range(50)]
    assert (acme.label, acme.legal_form, acme.wikidata, acme.located_in) == ("Акме", "АО2", None, "w1.e2")
    assert acme.alt_labels == ("alt0", "ACME", "alt1", "alt2", "alt3")
    assert acme.sectors == ("w3.e2",)

