"""The project's own demo news (data/demo-news.jsonl): the facts issue 15 listed as missed or wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.model import Agreement, ClusterLink, ClusterRole, Document, Extraction, Kind

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo-news.jsonl"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(extractor: Extractor) -> dict[str, Extraction]:
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: extractor.extract(Document(r["id"], r["text"])) for r in records}


def links(result: Extraction) -> set[tuple[ClusterRole, str]]:
    return {(f.role, result.entity(f.target).label) for f in result.facts if isinstance(f, ClusterLink)}


@pytest.mark.parametrize(
    "doc, expected",
    [
        ("demo-01", {(ClusterRole.MEMBER, "Томские лекарства"), (ClusterRole.MEMBER, "БиоВектор"),
                     (ClusterRole.MEMBER, "Томский государственный университет")}),
        ("demo-05", {(ClusterRole.MEMBER, "СибСофт"), (ClusterRole.MEMBER, "Датаграф"),
                     (ClusterRole.MEMBER, "Новосибирский приборный завод")}),
        ("demo-08", {(ClusterRole.MEMBER, "Вятские ферменты"), (ClusterRole.MEMBER, "Вятский государственный университет")}),
        ("demo-10", {(ClusterRole.ANCHOR, "Воронежсельмаш"), (ClusterRole.ANCHOR, "Борисоглебский машзавод")}),
    ],
)
def test_demo_news_cluster_links(demo: dict[str, Extraction], doc: str, expected: set[tuple[ClusterRole, str]]) -> None:
    assert links(demo[doc]) == expected


def test_demo_news_within_a_cluster_is_no_party(demo: dict[str, Extraction]) -> None:
    result = demo["demo-01"]  # «… подписали соглашение о сотрудничестве в рамках Фармацевтического кластера …»
    (agreement,) = [f for f in result.facts if isinstance(f, Agreement)]
    assert all(result.entity(p).kind != Kind.CLUSTER for p in agreement.parties)


@pytest.mark.parametrize("doc, label, country", [("demo-11", "Meccanica Padana S.p.A.", "Италия"),
                                                 ("demo-07", "Овернь", "Франция")])
def test_demo_news_foreign_names_keep_their_country(demo: dict[str, Extraction], doc: str, label: str,
                                                    country: str) -> None:
    entity = next(e for e in demo[doc].entities if e.label == label)
    assert entity.located_in is not None and demo[doc].entity(entity.located_in).label == country
