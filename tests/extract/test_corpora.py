"""Dev corpora (read from /work/shared, never copied): invariants hold on every document."""

from __future__ import annotations

import json

import pytest

from kg.extract import Extractor
from kg.model import Document

from .conftest import SHARED, need_shared
from .test_invariants import check_invariants

pytestmark = pytest.mark.slow


def test_corpora_cluster_news_keep_invariants(extractor: Extractor) -> None:
    need_shared()
    path = SHARED / "corpora" / "cluster-news-dev.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        result = extractor.extract(Document(id=record["id"], text=record["text"], date=record.get("date")))
        check_invariants(result)
        assert result.entities, record["id"]


def test_corpora_factru_sample_keeps_invariants(extractor: Extractor) -> None:
    need_shared()
    books = sorted((SHARED / "corpora" / "factru-dev").glob("book_*.txt"))[:15]
    assert books
    for book in books:
        check_invariants(extractor.extract(Document(id=book.stem, text=book.read_text(encoding="utf-8"))))
