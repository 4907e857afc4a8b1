"""End to end with the real Extractor (slow: loads the natasha models)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_helpers import nquads

from kg.pipeline.build import run_build
from kg.demo import generate
from kg.model import Document, Kind, Post

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def extractor():  # type: ignore[no-untyped-def]
    from kg.extract import Extractor

    return Extractor()


def test_demo_texts_yield_posts_and_clusters(extractor) -> None:  # type: ignore[no-untyped-def]
    records = list(generate(24, seed=5))
    posts: list[tuple[str, str]] = []
    clusters: set[str] = set()
    for r in records:
        x = extractor.extract(Document(r["id"], r["text"], r["date"], r["title"]))
        clusters |= {e.label for e in x.entities if e.kind is Kind.CLUSTER}
        for fact in x.facts:
            if isinstance(fact, Post):
                holder = x.entity(fact.holder)
                assert holder.kind is Kind.PERSON
                posts.append((holder.label, fact.title))
                assert holder.label.split()[-1][:4] in r["text"]  # the surname is in the text
    assert len(posts) >= len(records) // 2, posts
    assert len(clusters) >= 3, clusters
    assert any("губернатор" in title or "министр" in title for _, title in posts), posts


def test_build_real_extractor_jobs2_same_nquads_as_jobs1(corpus, tmp_path: Path) -> None:
    news = corpus(16, seed=8)
    one = run_build([news], tmp_path / "one", jobs=1, views=False)
    two = run_build([news], tmp_path / "two", jobs=2, views=False)
    assert one.problems == two.problems == ()
    assert one.stats.facts > 0
    assert nquads(tmp_path / "one") == nquads(tmp_path / "two")
