from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InputError
from kg.evaluate.gold import GoldRecord, load_gold, score_gold
from kg.evaluate.names import names_match, person_match, title_match
from kg.model import Agreement, ClusterLink, ClusterRole, Document, Entity, Event, Extraction, Kind, Span


@pytest.mark.parametrize(
    ("gold", "response", "expected"),
    [
        ("Московская область", "Московской области", True),
        ("министерство промышленности (Кировской области)", "министерство промышленности", True),
        ("министерство промышленности (Кировской области)", "Министерство промышленности Кировской области", True),
        ("министерство промышленности (Кировской области)", "Министерство промышленности и торговли РФ", False),
        ("ООО «ТатхимПласт»", "ТатхимПласт", True),
        ("«Хемофарм»", "Хемофарм", True),
        ("Ростех", "Государственная корпорация «Ростех»", True),
        ("Hemofarm (STADA, Германия)", "Hemofarm", True),
        ("Ассоциация «Промышленный фармацевтический кластер Пермского края»",
         "Промышленный фармацевтический кластер Пермского края", True),
        ("Калужская область", "Калининградская область", False),
        ("Москва", "Московская область", False),
        ("Ульяновский наноцентр", "Ульяновский авиакластер", False),
        ("ПАО «Кузнецов»", "ОАО «Кузнецов»", True),
        ("Самарская область", "область", False),
        ("биофармацевтический кластер «Вятка-Биополис»", "Вятка-Биополис", True),
        ("кластер «Бета»", "кластер «Гамма»", False),
    ],
)
def test_gold_names_match(gold: str, response: str, expected: bool) -> None:
    assert names_match(gold, response) is expected


@pytest.mark.parametrize(
    ("gold", "response", "expected"),
    [
        ("Андрей Воробьев", "Андрей Воробьёв", True),
        ("Андрей Воробьев", "Андрей Юрьевич Воробьев", True),
        ("Андрей Воробьев", "Воробьева", True),  # surname alone, inflected
        ("Андрей Воробьев", "Андрей Шпиленко", False),
        ("М.А. Погосян (Михаил Асланович)", "Михаил Погосян", True),
        ("Артём Здунов", "Артем Здунов", True),
        ("Максим Егоров", "Максим Кочетков", False),
    ],
)
def test_gold_person_match(gold: str, response: str, expected: bool) -> None:
    assert person_match(gold, response) is expected


@pytest.mark.parametrize(
    ("post", "title", "expected"),
    [
        ("губернатор Московской области", "губернатор", True),
        ("Губернатор Калужской области", "губернатора", True),
        ("первый заместитель генерального директора — директор Блока по развитию",
         "первый заместитель генерального директора", True),
        ("губернатор (Пермского края)", "губернатор", True),
        ("заместитель губернатора Калужской области", "губернатор", True),
        ("губернатор Московской области", "заместитель губернатора", False),
        ("директор Ассоциации кластеров", "министр", False),
        ("губернатор", "", False),
    ],
)
def test_gold_title_match(post: str, title: str, expected: bool) -> None:
    assert title_match(post, title) is expected


TEXT = ("ООО «Альфа» вошло в кластер «Бета». Губернатор Иван Петров и Альфа подписали "
        "соглашение о сотрудничестве на форуме «Гамма» в Омске.")


def at(part: str) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part), part)


def extraction(doc: Document) -> Extraction:
    entities = (
        Entity("o1", Kind.COMPANY, "альфа", "Альфа", (at("ООО «Альфа»"),), legal_form="ООО"),
        Entity("c1", Kind.CLUSTER, "бета", "Бета", (at("«Бета»"),)),
        Entity("p1", Kind.PERSON, "иван петров", "Иван Петров", (at("Иван Петров"),)),
        Entity("s1", Kind.SETTLEMENT, "омск", "Омск", (at("Омске"),)),
        Entity("o2", Kind.ORGANIZATION, "гамма", "Гамма", (at("«Гамма»"),)),
    )
    sentence = TEXT[TEXT.index("Губернатор"):]
    facts = (
        ClusterLink("c1", "o1", ClusterRole.MEMBER, at("ООО «Альфа» вошло в кластер «Бета»")),
        Agreement("соглашение о сотрудничестве", at(sentence), parties=("o1",), signatories=("p1",)),
        Event("форум", at(sentence), label="форум «Гамма»", place="s1"),
    )
    return Extraction(doc, entities, facts)


class Extractor:
    def extract(self, doc: Document) -> Extraction:
        return extraction(doc)


def score(gold: dict[str, Any]) -> dict[str, tuple[float, int, int]]:
    report = score_gold([GoldRecord("d", TEXT, gold)], Extractor())
    return {k: (m.tp_std, m.n_std, m.n_test) for k, m in report.metrics.items() if m.n_std or m.n_test}


def test_gold_score_perfect_classes() -> None:
    assert score({
        "clusters": ["кластер «Бета»"], "orgs": ["ООО «Альфа»", "Гамма"], "places": ["Омск"],
        "members": [["Альфа", "Бета"]], "events": ["форум «Гамма» (Омск)"],
        "agreements": [{"description": "соглашение о сотрудничестве", "parties": ["Альфа"],
                        "signatories": ["Иван Петров"]}],
    }) == {
        "clusters": (1, 1, 1), "orgs": (2, 2, 2), "places": (1, 1, 1), "members": (1, 1, 1),
        "events": (1, 1, 1), "agreements": (1, 1, 1), "agreement-parties": (1, 1, 1),
        "agreement-signatories": (1, 1, 1),
    }


def test_gold_score_misses_and_false_positives() -> None:
    report = score_gold([GoldRecord("d", TEXT, {"orgs": ["Дельта"], "members": [["Гамма", "Бета"]],
                                                "agreements": ["договор аренды"]})], Extractor())
    doc = report.documents[0]
    assert doc.misses == [("orgs", "Дельта"), ("members", "Гамма ∈ Бета"), ("agreements", "договор аренды")]
    assert ("orgs", "Альфа") in doc.false_positives and ("orgs", "Гамма") in doc.false_positives
    assert report.metrics["orgs"].recall == 0.0


def test_gold_score_unannotated_record_and_missing_keys_skipped() -> None:
    report = score_gold([GoldRecord("d", TEXT, {}), GoldRecord("e", TEXT, {"places": ["Омск"]})], Extractor())
    assert report.skipped == ["d"]
    assert report.metrics["orgs"].n_test == 0  # no "orgs" key: orgs not scored
    assert report.metrics["places"].f1 == 1.0


def test_gold_load_gold_reads_records(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "т", "date": "2024", "gold": {"orgs": []}}) + "\n\n",
                    encoding="utf-8")
    assert load_gold(path) == [GoldRecord("x", "т", {"orgs": []}, "2024", None, f"{path}:1")]


def test_gold_load_gold_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_gold(tmp_path / "absent.jsonl")


def test_gold_member_cluster_alias_resolved_through_gold_clusters() -> None:
    gold = {"clusters": ["кластер «Бета Плюс»", "Гамма"], "members": [["Альфа", "Бета кластер"]]}
    record = GoldRecord("d", TEXT.replace("«Бета»", "«Бета Плюс»"), gold)

    class Long:
        def extract(self, doc: Document) -> Extraction:
            x = extraction(Document("d", TEXT))
            beta = Entity("c1", Kind.CLUSTER, "бета плюс", "Бета Плюс")
            return Extraction(doc, tuple(beta if e.id == "c1" else e for e in x.entities), x.facts)

    assert score_gold([record], Long()).metrics["members"].tp_std == 1


@pytest.mark.parametrize(("gold", "response"), [("поселок Левинцы", "Левинцы"), ("г. Омск", "Омск")])
def test_gold_names_match_settlement_words_optional(gold: str, response: str) -> None:
    assert names_match(gold, response)


@pytest.mark.parametrize(
    ("gold", "matched"),
    [
        ("форум «Гамма»", True),
        ("международный форум в Омске", True),
        ("круглый стол в рамках форума", False),  # the forum is not the event
        ("заседание", False),
    ],
)
def test_gold_event_type_must_be_the_head(gold: str, matched: bool) -> None:
    class Unnamed:
        def extract(self, doc: Document) -> Extraction:
            return Extraction(doc, (), (Event("форум", at("Гамма")),))

    report = score_gold([GoldRecord("d", TEXT, {"events": [gold]})], Unnamed())
    assert report.metrics["events"].tp_std == (1 if matched else 0)
