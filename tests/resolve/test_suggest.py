"""kg suggest: near names left apart are listed, best first; regions and `different` lines respected."""

from __future__ import annotations

from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.resolve.curation import Curation
from kg.resolve.identity import resolve
from kg.resolve.lexicon import plain_lexicon
from kg.resolve.records import EntityRecord
from kg.resolve.suggest import suggest

MINTER = IriMinter("http://ex.org/")


def rec(label: str, kind: Kind = Kind.ORGANIZATION, region: str | None = None) -> EntityRecord:
    key = label.lower()
    return EntityRecord(MINTER.entity(kind, key), key, kind.value, label, (label,), region, (f"name:{key}",))


def test_suggest_near_names_best_first() -> None:
    records = {"d1": [rec("Ассоциация производителей станков Урала")], "d2": [rec("Ассоциация производителей станков")],
               "d3": [rec("Уралмашзавод")], "d4": [rec("Станкозавод Урала")]}
    found = suggest(records, resolve(records, MINTER), lexicon=plain_lexicon())
    assert {found[0].a_label, found[0].b_label} == {"Ассоциация производителей станков Урала",
                                                    "Ассоциация производителей станков"}
    assert all(s.score >= 0.5 for s in found)
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)


def test_suggest_keeps_regions_and_corrections_apart() -> None:
    records = {"d1": [rec("кластер станкостроения", Kind.CLUSTER, "RU-TUL")],
               "d2": [rec("станкостроительный кластер станкостроения", Kind.CLUSTER, "RU-YAR")],
               "d3": [rec("Технопарк «Сигма»")], "d4": [rec("Сигма Технопарк")]}
    found = suggest(records, resolve(records, MINTER), lexicon=plain_lexicon())
    assert [{s.a_label, s.b_label} for s in found] == [{"Сигма Технопарк", "Технопарк «Сигма»"}]
    apart = Curation(different=(("Сигма Технопарк", "Технопарк «Сигма»"),))
    assert suggest(records, resolve(records, MINTER, apart), apart, lexicon=plain_lexicon()) == []


def test_suggest_skips_words_too_common_to_block_on() -> None:
    records = {f"d{i}": [rec(f"Сигма-{i} холдинг")] for i in range(120)}  # «холдинг» in 120 names: not a block
    assert suggest(records, resolve(records, MINTER), lexicon=plain_lexicon()) == []
