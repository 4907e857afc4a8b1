"""Extractor.extract_many (natasha's NER over a batch of texts) reads what extract reads, document by document."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from kg.demo import generate
from kg.extract import Extractor
from kg.model import Document, Extraction

from .conftest import SHARED, need_shared

BATCH = 8  # kg.pipeline.build.CHUNK


def in_batches(extractor: Extractor, docs: Sequence[Document], size: int = BATCH) -> list[Extraction]:
    out: list[Extraction] = []
    for start in range(0, len(docs), size):
        out.extend(extractor.extract_many(docs[start:start + size]))
    return out


def assert_same(extractor: Extractor, docs: Sequence[Document], size: int = BATCH) -> None:
    batched = in_batches(extractor, docs, size)
    assert len(batched) == len(docs)
    for doc, got in zip(docs, batched):
        assert got == extractor.extract(doc), doc.id


def test_batch_equals_one_by_one_on_demo_corpus(extractor: Extractor) -> None:
    docs = [Document(r["id"], r["text"], r.get("date"), r.get("title")) for r in generate(120, seed=7)]
    assert_same(extractor, docs)


@pytest.mark.parametrize("size", [2, 3, 16])
def test_batch_any_batch_size_same_result(extractor: Extractor, size: int) -> None:
    docs = [Document(r["id"], r["text"], r.get("date")) for r in generate(33, seed=3)]
    assert_same(extractor, docs, size)


def test_batch_mixed_lengths_and_blank_documents(extractor: Extractor) -> None:
    """A long text padded against short ones, empty and blank texts, text that cleans to nothing."""
    long = " ".join(
        f"В {n}-й раз генеральный директор ООО «Север-{n}» Иван Петров подписал соглашение с АО «Юг»."
        for n in range(40)
    )
    docs = [
        Document("short", "Кластер."),
        Document("long", long),
        Document("empty", ""),
        Document("blank", "   \n\t "),
        Document("controls", "\u200b\u200b"),
        Document("seed", "9 апреля в Екатеринбурге губернатор Свердловской области Евгений Куйвашев "
                         "посетил Титановый кластер и встретился с Артемием Кызласовым."),
    ]
    assert_same(extractor, docs, len(docs))


class _BrokenBatch:
    """natasha's NER tagger whose batch call fails; a single text still works."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def map(self, texts: list[str]) -> Iterator[Any]:
        raise RuntimeError("batch refused")

    def __call__(self, text: str) -> Any:
        return self.real(text)


def test_batch_ner_failure_falls_back_to_one_by_one(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [Document(r["id"], r["text"]) for r in generate(5, seed=1)]
    expected = [extractor.extract(doc) for doc in docs]
    monkeypatch.setattr(extractor, "ner_tagger", _BrokenBatch(extractor.ner_tagger))
    assert extractor.extract_many(docs) == expected
    assert any(x.facts for x in expected)


@pytest.mark.slow
def test_batch_equals_one_by_one_on_dev_corpora(extractor: Extractor) -> None:
    need_shared()
    lines = (SHARED / "corpora" / "cluster-news-dev.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [Document(r["id"], r["text"], r.get("date")) for r in map(json.loads, lines)]
    docs += [Document(book.stem, book.read_text(encoding="utf-8"))
             for book in sorted((SHARED / "corpora" / "factru-dev").glob("book_*.txt"))]
    assert len(docs) > 100
    assert_same(extractor, docs)
