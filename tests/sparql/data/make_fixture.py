"""Regenerate ``fixture.trig``: three hand-written news items mapped with kg.mapping.

Run ``.venv/bin/python tests/sparql/data/make_fixture.py`` after a mapping change
and review the TriG diff. The texts are our own sentences, not corpus material.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef

from kg.mapping.iri import IriMinter
from kg.mapping.to_rdf import to_graph
from kg.model import (
    Agreement,
    ClusterLink,
    ClusterRole,
    DateKind,
    DateValue,
    Document,
    Entity,
    Event,
    Extraction,
    Kind,
    Post,
    Span,
)

HERE = Path(__file__).parent


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def sentence(text: str, needle: str) -> Span:
    """The sentence of ``text`` that contains ``needle``."""
    at = text.index(needle)
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    stop = text.find(".", at) + 1
    return Span(start, stop, text[start:stop])


def entity(text: str, eid: str, kind: Kind, key: str, label: str, *needles: str, **kw: object) -> Entity:
    mentions = tuple(span(text, n) for n in needles)
    return Entity(eid, kind, key, label, mentions=mentions, **kw)  # type: ignore[arg-type]


T1 = (
    "9 апреля в Екатеринбурге заместитель губернатора Свердловской области Алексей Орлов "
    "и директор ООО «Титан-Пром» Иван Петров подписали соглашение о создании Титанового кластера. "
    "Участниками кластера стали ООО «Титан-Пром» и АО «Уралмет». "
    "Ядром кластера станет АО «Уралмет», инициатор — правительство Свердловской области."
)
T2 = (
    "Французская делегация из региона Лимузен посетила Калужскую область 5 октября. "
    "Ассоциация «Лимузен-Технопол» подписала меморандум о взаимопонимании с Фармацевтическим "
    "кластером Калужской области. Документ подписал президент ассоциации Жан Дюпон. "
    "Участниками кластера являются ООО «Нанолек» и АО «Уралмет». "
    "Министр экономического развития Калужской области Максим Иванов встретил гостей."
)
T3 = (
    "В Кировской области работает Биотехнологический кластер, его участниками являются "
    "ООО «Нанолек» и ООО «Биохимзавод». Круглый стол о развитии кластера прошёл в Кирове "
    "с участием компании «Сименс». Опыт изучат и в Тульской области."
)


def doc1() -> Extraction:
    t = T1
    es = (
        entity(t, "r", Kind.REGION, "свердловская область", "Свердловская область",
               "Свердловской области", iso_code="RU-SVE"),
        entity(t, "c", Kind.SETTLEMENT, "екатеринбург", "Екатеринбург", "Екатеринбурге",
               located_in="r"),
        entity(t, "s", Kind.SECTOR, "металлургия", "металлургия"),
        entity(t, "k", Kind.CLUSTER, "титановый кластер", "Титановый кластер", "Титанового кластера",
               located_in="r", sectors=("s",)),
        entity(t, "o1", Kind.COMPANY, "титан-пром", "Титан-Пром", "ООО «Титан-Пром»",
               legal_form="ООО", located_in="c"),
        entity(t, "o2", Kind.COMPANY, "уралмет", "Уралмет", "АО «Уралмет»", legal_form="АО"),
        entity(t, "a", Kind.AUTHORITY, "правительство свердловской области",
               "Правительство Свердловской области", "правительство Свердловской области",
               located_in="r"),
        entity(t, "p1", Kind.PERSON, "алексей орлов", "Алексей Орлов", "Алексей Орлов"),
        entity(t, "p2", Kind.PERSON, "иван петров", "Иван Петров", "Иван Петров"),
    )
    facts = (
        Post("p1", "заместитель губернатора", "r", span(t, "заместитель губернатора Свердловской области Алексей Орлов")),
        Post("p2", "директор", "o1", span(t, "директор ООО «Титан-Пром» Иван Петров")),
        ClusterLink("k", "o1", ClusterRole.MEMBER, sentence(t, "Участниками")),
        ClusterLink("k", "o2", ClusterRole.MEMBER, sentence(t, "Участниками")),
        ClusterLink("k", "o2", ClusterRole.ANCHOR, sentence(t, "Ядром")),
        ClusterLink("k", "a", ClusterRole.INITIATOR, sentence(t, "Ядром")),
        Agreement("соглашение о создании кластера", sentence(t, "подписали"),
                  parties=("o1", "a"), signatories=("p1", "p2"), about=("k",),
                  date=DateValue("2024-04-09", DateKind.DATE), place="c"),
    )
    return Extraction(Document("f01", t, date="2024-04-09", title="Титановый кластер",
                               url="https://example.org/news/f01"), es, facts)


def doc2() -> Extraction:
    t = T2
    es = (
        entity(t, "fr", Kind.COUNTRY, "франция", "Франция", iso_code="FR", wikidata="Q142"),
        entity(t, "li", Kind.REGION, "лимузен", "Лимузен", "Лимузен", located_in="fr"),
        entity(t, "r", Kind.REGION, "калужская область", "Калужская область", "Калужскую область",
               iso_code="RU-KLU"),
        entity(t, "s", Kind.SECTOR, "фармацевтика", "фармацевтика"),
        entity(t, "k", Kind.CLUSTER, "фармацевтический кластер калужской области",
               "Фармацевтический кластер Калужской области", "Фармацевтическим кластером Калужской области",
               located_in="r", sectors=("s",)),
        entity(t, "as", Kind.ORGANIZATION, "лимузен-технопол", "Лимузен-Технопол",
               "Ассоциация «Лимузен-Технопол»", located_in="li"),
        entity(t, "o1", Kind.COMPANY, "нанолек", "Нанолек", "ООО «Нанолек»", legal_form="ООО"),
        entity(t, "o2", Kind.COMPANY, "уралмет", "Уралмет", "АО «Уралмет»", legal_form="АО"),
        entity(t, "m", Kind.AUTHORITY, "министерство экономического развития калужской области",
               "Министерство экономического развития Калужской области", located_in="r"),
        entity(t, "p1", Kind.PERSON, "жан дюпон", "Жан Дюпон", "Жан Дюпон"),
        entity(t, "p2", Kind.PERSON, "максим иванов", "Максим Иванов", "Максим Иванов"),
    )
    facts = (
        Post("p1", "президент", "as", span(t, "президент ассоциации Жан Дюпон")),
        Post("p2", "министр экономического развития", "m",
             span(t, "Министр экономического развития Калужской области Максим Иванов")),
        ClusterLink("k", "o1", ClusterRole.MEMBER, sentence(t, "Участниками")),
        ClusterLink("k", "o2", ClusterRole.MEMBER, sentence(t, "Участниками")),
        Agreement("меморандум о взаимопонимании", sentence(t, "меморандум"),
                  parties=("as", "k"), signatories=("p1",), about=("k",),
                  date=DateValue("2023-10-05", DateKind.DATE)),
        Event("визит", sentence(t, "делегация"), participants=("as",),
              date=DateValue("2023-10", DateKind.YEAR_MONTH), place="r"),
    )
    return Extraction(Document("f02", t, date="2023-10-05"), es, facts)


def doc3() -> Extraction:
    t = T3
    es = (
        entity(t, "r", Kind.REGION, "кировская область", "Кировская область", "Кировской области",
               iso_code="RU-KIR"),
        entity(t, "tu", Kind.REGION, "тульская область", "Тульская область", "Тульской области",
               iso_code="RU-TUL"),
        entity(t, "c", Kind.SETTLEMENT, "киров", "Киров", "Кирове", located_in="r"),
        entity(t, "de", Kind.COUNTRY, "германия", "Германия", iso_code="DE"),
        entity(t, "k", Kind.CLUSTER, "биотехнологический кластер кировской области",
               "Биотехнологический кластер Кировской области", "Биотехнологический кластер",
               located_in="c"),
        entity(t, "o1", Kind.COMPANY, "нанолек", "Нанолек", "ООО «Нанолек»", legal_form="ООО"),
        entity(t, "o3", Kind.COMPANY, "биохимзавод", "Биохимзавод", "ООО «Биохимзавод»",
               legal_form="ООО"),
        entity(t, "o4", Kind.COMPANY, "сименс", "Сименс", "компании «Сименс»", located_in="de"),
    )
    facts = (
        ClusterLink("k", "o1", ClusterRole.MEMBER, sentence(t, "участниками")),
        ClusterLink("k", "o3", ClusterRole.MEMBER, sentence(t, "участниками")),
        Event("круглый стол", sentence(t, "Круглый стол"), participants=("o4",), about=("k",),
              date=DateValue("2022", DateKind.YEAR), place="c"),
    )
    return Extraction(Document("f03", t, date="2022"), es, facts)


def build() -> Dataset:
    import kg.mapping.to_rdf as to_rdf
    from rdflib import Namespace

    # The closed CKG namespace may lag behind the mapping while both are written.
    to_rdf.CKG = Namespace(str(to_rdf.CKG))  # type: ignore[misc]
    minter = IriMinter()
    ds = Dataset()
    for x in (doc1(), doc2(), doc3()):
        graph = ds.graph(URIRef(minter.document(x.document.id)))
        for triple in to_graph(x, minter):
            graph.add(triple)
    return ds


if __name__ == "__main__":
    dataset = build()
    from kg.mapping.vocab import bind_prefixes

    bind_prefixes(dataset)  # type: ignore[arg-type]
    (HERE / "fixture.trig").write_text(dataset.serialize(format="trig"), encoding="utf-8")
