"""records_of: a cluster named with its former name beside it («X (до января — Y)») is one cluster
under two names: its record links the other's node."""

from __future__ import annotations

import pytest

from kg.mapping.iri import IriMinter
from kg.model import Document, Entity, Extraction, Kind, Span
from kg.resolve.lexicon import plain_lexicon
from kg.resolve.records import records_of

MINTER = IriMinter("https://example.org/id/")


def two_clusters(text: str, first: str, second: str) -> Extraction:
    a, b = text.index(first), text.index(second)
    return Extraction(Document("d1", text), (
        Entity("c1", Kind.CLUSTER, first.lower(), first, (Span(a, a + len(first), first),)),
        Entity("c2", Kind.CLUSTER, second.lower(), second, (Span(b, b + len(second), second),)),
    ))


@pytest.mark.parametrize(("text", "first", "second", "linked"), [
    ("Участники кластера «Прикамская химия» (до января — Пермский химический кластер) подписали соглашение.",
     "Прикамская химия", "Пермский химический кластер", True),
    ("Кластер «Вятка-Полимер» (ранее — Кировский кластер полимеров) принял новых участников.",
     "Вятка-Полимер", "Кировский кластер полимеров", True),
    ("«Волжский код», ранее называвшийся Самарский IT-кластер, вырос вдвое.",
     "Волжский код", "Самарский IT-кластер", True),
    # two clusters side by side, or one inside the other: two clusters
    ("Кластер «Прикамская химия» и Пермский химический кластер подписали соглашение.",
     "Прикамская химия", "Пермский химический кластер", False),
    ("Кластер «Прикамская химия» (до 2024 года входил в Пермский химический кластер) вырос.",
     "Прикамская химия", "Пермский химический кластер", False),
])
def test_records_renamed_cluster(text: str, first: str, second: str, linked: bool) -> None:
    records = records_of(two_clusters(text, first, second), MINTER, plain_lexicon())
    assert bool(records[0].links) is linked and bool(records[1].links) is linked
    if linked:
        assert records[0].links == (records[1].iri,) and records[1].links == (records[0].iri,)
