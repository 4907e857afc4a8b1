"""Cluster bodies (kg.facts.management): the organisation that runs a cluster is its own node,
tied to the cluster by ckg:managedBy. Every sentence here is our own writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import api
from kg.extract import Extractor
from kg.facts.management import Management
from kg.model import Document, Kind
from kg.sparql import Rows

pytestmark = pytest.mark.slow


def managed(extractor: Extractor, text: str) -> set[tuple[str, str, str]]:
    """(cluster label, body label, rule) of every management fact read from ``text``."""
    x = extractor.extract(Document("t", text))
    labels = {e.id: e.label for e in x.entities}
    kinds = {e.id: e.kind for e in x.entities}
    out = set()
    for fact in x.facts:
        if isinstance(fact, Management):
            assert kinds[fact.cluster] is Kind.CLUSTER and kinds[fact.body] in {Kind.ORGANIZATION, Kind.COMPANY}
            out.add((labels[fact.cluster], labels[fact.body], fact.rule))
    return out


# (text, a word of the cluster's label, a word of the body's label, rule)
FOUND = [
    ("Ассоциация «Нижегородский автомобильный кластер» провела встречу с инвесторами в Дзержинске.",
     "автомобильный", "Ассоциация", "name"),
    ("В Ульяновске Некоммерческое партнёрство «Ульяновский авиационный кластер» отчиталось о работе за год.",
     "авиационный", "партн", "name"),
    ("Участники кластера «Сибирская нефтехимия» собрались в Томске. Ассоциация «Сибирская нефтехимия» "
     "объявила конкурс проектов.", "нефтехимия", "Ассоциация", "name"),
    ("АО «Технопарк Прикамья», управляющая компания Пермского фармацевтического кластера, провело семинар для "
     "резидентов.", "фармацевтический", "Технопарк", "role"),
    ("Управляющей компанией кластера «Композиты Поволжья» стало АНО «Центр композитных технологий».",
     "Композиты", "Центр", "role"),
    ("Специализированной организацией лесопромышленного кластера Вологодской области выступает "
     "ООО «Северный лес».", "лесопромышленный", "Северный", "role"),
]

NOT_FOUND = [
    # a cluster word as an adjective inside a name is no cluster
    "Центр кластерного развития Рязанской области провёл семинар для предпринимателей.",
    # the role words describe no organisation named near them
    "Управляющая компания провела семинар для участников кластера «Уральский текстиль», "
    "а через месяц в Екатеринбурге выступили представители ООО «Синтез»." * 1,
    # a member, not a body
    "ООО «Северный лес» вошло в состав лесопромышленного кластера Вологодской области.",
]


@pytest.mark.parametrize("text,cluster,body,rule", FOUND)
def test_body_is_tied_to_its_cluster(extractor: Extractor, text: str, cluster: str, body: str, rule: str) -> None:
    found = managed(extractor, text)
    assert any(cluster.lower() in c.lower() and body.lower() in b.lower() and r == rule for c, b, r in found), found


@pytest.mark.parametrize("text", NOT_FOUND)
def test_no_body_without_one(extractor: Extractor, text: str) -> None:
    assert managed(extractor, text) == set()


def test_body_and_cluster_are_two_nodes_and_its_people_show_in_the_profile(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    news.write_text(
        '{"id": "a", "text": "Ассоциация «Нижегородский автомобильный кластер» провела встречу с инвесторами. '
        'Исполнительный директор ассоциации «Нижегородский автомобильный кластер» Ольга Кравцова рассказала о планах."}\n',
        encoding="utf-8")
    ws = tmp_path / "ws"
    api.build([news], ws, views=False)
    rows = api.query("""PREFIX ckg: <https://w3id.org/cluster-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?c ?b WHERE { ?cluster a ckg:Cluster ; ckg:managedBy ?body ; rdfs:label ?c .
                             ?body a ckg:Organization ; rdfs:label ?b }""", workspace=ws)
    assert isinstance(rows, Rows)
    pairs = [(row[0].value, row[1].value) for row in rows if row[0] and row[1]]
    assert len(pairs) == 1 and "кластер" in pairs[0][0].lower() and pairs[0][1].startswith("Ассоциация"), pairs
    cluster = api.query("""PREFIX ckg: <https://w3id.org/cluster-kg/ontology#>
        SELECT ?c WHERE { ?c ckg:managedBy ?b }""", workspace=ws)
    assert isinstance(cluster, Rows)
    iri = next(iter(cluster))[0]
    profile = api.query("cluster-profile", params={"cluster": iri}, workspace=ws)
    assert isinstance(profile, Rows)
    rows_ = [tuple(t.value if t else None for t in row) for row in profile]
    assert any(r[2] == "manager" and r[4] and r[4].startswith("Ассоциация") for r in rows_), rows_
    assert any(r[2] == "official" and r[4] == "Ольга Кравцова" for r in rows_), rows_
    assert api.validate(ws).conforms
