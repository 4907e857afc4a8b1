"""The resolution pass streams the identity index: the entity records of a workspace are never all
in memory at once (issue 19: whole-build memory flat in the number of documents)."""

from __future__ import annotations

import gc
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg.pipeline.worker as worker
from kg.mapping.iri import IriMinter
from kg.model import Document, Entity, Extraction, Kind, Span
from kg.pipeline.build import write_resolved
from kg.resolve import IdentityIndex, resolve, resolve_stream
from kg.resolve.codec import encode
from kg.resolve.index import PAGE
from kg.resolve.records import EntityRecord
from kg.store.oxigraph import open_store

MINTER = IriMinter()
DOCS = 1600
PER_DOC = 4
NAMES = ["Ромака", "Тамино", "Кавасо", "Лидуга", "Пеграбу", "Зохале", "Фулени", "Вамиро"]


def document(n: int, rng: random.Random) -> tuple[str, str, str, tuple[EntityRecord, ...]]:
    """A document naming a few companies of a small pool, each as an entity and its record."""
    names = rng.sample(NAMES, PER_DOC)
    text = ". ".join(f"Компания «{name}» подписала соглашение" for name in names) + "."
    entities, records = [], []
    for i, name in enumerate(names):
        start = text.index(name)
        key = name.lower() + rng.choice(["", " ооо"])  # two nodes, one name key: one entity
        label = rng.choice([name, name, name.upper()])  # the most frequent form is the label
        entities.append(Entity(f"e{i}", Kind.COMPANY, key, label, (Span(start, start + len(name), name),)))
        records.append(EntityRecord(MINTER.entity(Kind.COMPANY, key), key, Kind.COMPANY.value, label, (label,), None,
                                    (f"name:{name.lower()}",)))
    doc = Document(f"d{n:05d}", text)
    return MINTER.document(doc.id), f"hash-{n}", encode(Extraction(doc, tuple(entities))), tuple(records)


def records_alive() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is EntityRecord)


def test_resolve_stream_holds_no_workspace_of_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(19)
    index = IdentityIndex(tmp_path / "identity.sqlite")
    index.put(document(n, rng) for n in range(DOCS))
    store = open_store(tmp_path)
    counts: list[int] = []
    read = index.records

    def sampled_records() -> Iterator[tuple[str, tuple[EntityRecord, ...]]]:  # while resolving
        for n, item in enumerate(read()):
            if n % 500 == 499:
                counts.append(records_alive())
            yield item

    mapped = worker.resolved  # the documents are mapped by a DocWorker (here: in this process)
    calls = 0

    def sampled_resolved(*args: object) -> Extraction:  # while writing
        nonlocal calls
        calls += 1
        if calls % 500 == 0:
            counts.append(records_alive())
        return mapped(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(index, "records", sampled_records)
    monkeypatch.setattr(worker, "resolved", sampled_resolved)
    assert write_resolved(store, index, MINTER) == DOCS
    assert calls == DOCS and len(counts) >= 3
    # a page of rows read ahead, and a batch being mapped: never the workspace's 6,400 records
    assert max(counts) <= 2 * PAGE * PER_DOC < DOCS * PER_DOC / 2
    assert len(store.documents()) == DOCS
    index.close()


def test_resolve_stream_equals_resolve_of_the_documents(tmp_path: Path) -> None:
    rng = random.Random(7)
    index = IdentityIndex(tmp_path / "identity.sqlite")
    index.put(document(n, rng) for n in range(PAGE * 2 + 5))  # more than one page
    by_doc = {graph: records for graph, records in index.records()}
    assert len(by_doc) == PAGE * 2 + 5
    streamed = resolve_stream(index.records(), MINTER)
    whole = resolve(by_doc, MINTER)
    assert streamed.groups == whole.groups and dict(streamed.canonical) == dict(whole.canonical)
    assert sorted((len(g.members), g.canonical.label) for g in whole.groups) == [(2, name) for name in sorted(NAMES)]
    index.close()
