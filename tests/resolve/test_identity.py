"""Grouping records into real entities: rules, guards, curation and order independence."""

from __future__ import annotations

import itertools

import pytest

from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.resolve.curation import Curation
from kg.resolve.identity import resolve
from kg.resolve.records import EntityRecord
from kg.resolve.reference import RefEntry, Reference

MINTER = IriMinter("http://ex.org/")


def rec(key: str, *keys: str, kind: Kind = Kind.COMPANY, label: str | None = None, region: str | None = None,
        named: bool = True, ref: str | None = None, links: tuple[str, ...] = ()) -> EntityRecord:
    return EntityRecord(MINTER.entity(kind, key), key, kind.value, label or key, (label or key,), region,
                        tuple(keys), links, named, ref)


def groups_of(records: dict[str, list[EntityRecord]], **kw: object) -> set[frozenset[str]]:
    res = resolve(records, MINTER, **kw)  # type: ignore[arg-type]
    by_iri: dict[str, set[str]] = {}
    for doc in records.values():
        for r in doc:
            c = res.get(r.iri)
            by_iri.setdefault(c.iri if c else r.iri, set()).add(r.key)
    return {frozenset(v) for v in by_iri.values()}


def test_identity_name_key_joins_documents() -> None:
    records = {"d1": [rec("оак", "name:оак")], "d2": [rec("оак ", "name:оак")]}
    assert groups_of(records) == {frozenset({"оак", "оак "})}


def test_identity_described_clusters_join_within_a_region_only() -> None:
    cl = dict(kind=Kind.CLUSTER, named=False)
    records = {
        "tula-1": [rec("фарм @RU-TUL", "sig:RU-TUL:фарма", region="RU-TUL", **cl)],
        "tula-2": [rec("тульский фарм", "sig:RU-TUL:фарма", region="RU-TUL", **cl)],
        "yar-1": [rec("фарм @RU-YAR", "sig:RU-YAR:фарма", region="RU-YAR", **cl)],
    }
    assert groups_of(records) == {frozenset({"фарм @RU-TUL", "тульский фарм"}), frozenset({"фарм @RU-YAR"})}


def test_identity_signature_shared_in_one_document_is_not_joined() -> None:
    cl = dict(kind=Kind.CLUSTER, named=False, region="RU-CU")
    records = {"d1": [rec("химический", "sig:RU-CU:химия", **cl), rec("нефтехимический", "sig:RU-CU:химия", **cl)],
               "d2": [rec("химический", "sig:RU-CU:химия", **cl)]}
    assert groups_of(records) == {frozenset({"химический"}), frozenset({"нефтехимический"})}


def test_identity_named_cluster_takes_its_description_when_unique() -> None:
    records = {
        "d1": [rec("вятка-биополис", "name:вятка-биополис", "nsig:RU-KIR:фарма", kind=Kind.CLUSTER, region="RU-KIR")],
        "d2": [rec("фарм @RU-KIR", "sig:RU-KIR:фарма", kind=Kind.CLUSTER, named=False, region="RU-KIR")],
    }
    assert groups_of(records) == {frozenset({"вятка-биополис", "фарм @RU-KIR"})}
    records["d3"] = [rec("другой", "name:другой", "nsig:RU-KIR:фарма", kind=Kind.CLUSTER, region="RU-KIR")]
    assert len(groups_of(records)) == 3  # two named clusters share the signature: the description stays alone


def test_identity_transliteration_only_when_unambiguous() -> None:
    records = {"d1": [rec("hemofarm", "skel:latin:hmfrm")], "d2": [rec("хемофарм", "skel:cyrillic:hmfrm")]}
    assert groups_of(records) == {frozenset({"hemofarm", "хемофарм"})}
    records["d3"] = [rec("хемафарм", "skel:cyrillic:hmfrm")]
    assert len(groups_of(records)) == 3


def test_identity_two_reference_entries_never_join() -> None:
    records = {"d1": [rec("a", "name:x", ref="r1")], "d2": [rec("b", "name:x", ref="r2")]}
    assert len(groups_of(records)) == 2


def test_identity_reference_gives_label_iri_and_wikidata() -> None:
    reference = Reference({"минпромторг": RefEntry("minpromtorg", "Министерство промышленности и торговли Российской Федерации",
                                                    "authority", "Q1")})
    records = {"d1": [rec("минпромторг", "ref:minpromtorg", kind=Kind.AUTHORITY, ref="minpromtorg")],
               "d2": [rec("минпромторг россии", "ref:minpromtorg", kind=Kind.AUTHORITY, ref="minpromtorg")]}
    res = resolve(records, MINTER, reference=reference)
    canon = res.get(records["d1"][0].iri)
    assert canon is not None and canon == res.get(records["d2"][0].iri)
    assert canon.label.startswith("Министерство промышленности") and canon.wikidata == "Q1"
    assert canon.iri == MINTER.entity(Kind.AUTHORITY, "ref:minpromtorg")


def test_identity_links_from_one_text() -> None:
    full = rec("объединенная авиастроительная компания", "name:объединенный авиастроительный компания")
    short = rec("оак", "name:оак", kind=Kind.ORGANIZATION, links=(full.iri,))
    records = {"d1": [full, short], "d2": [rec("оак", "name:оак", kind=Kind.ORGANIZATION)]}
    assert groups_of(records) == {frozenset({"объединенная авиастроительная компания", "оак"})}


def test_identity_curation_same_and_different() -> None:
    a, b = rec("альфа", "name:альфа"), rec("альфа-м", "name:альфа")
    records = {"d1": [a], "d2": [b], "d3": [rec("бета", "name:бета", label="Бета")]}
    assert len(groups_of(records)) == 2
    assert len(groups_of(records, curation=Curation(different=((a.iri, b.iri),)))) == 3
    assert len(groups_of(records, curation=Curation(same=(("Бета", a.iri),)))) == 1


def test_identity_label_is_the_most_frequent_then_capitalised() -> None:
    records = {"d1": [rec("x", "name:x", label="ОАО «Вектор»")], "d2": [rec("y", "name:x", label="Вектор")],
               "d3": [rec("y", "name:x", label="Вектор")]}
    res = resolve(records, MINTER)
    canon = res.get(records["d1"][0].iri)
    assert canon is not None and canon.label == "Вектор" and canon.iri == records["d2"][0].iri


def test_identity_does_not_depend_on_document_order() -> None:
    records = {
        "d1": [rec("оак", "name:оак", kind=Kind.ORGANIZATION)],
        "d2": [rec("a", "name:a", label="Альфа"), rec("hemofarm", "skel:latin:hmfrm")],
        "d3": [rec("b", "name:a", label="альфа"), rec("хемофарм", "skel:cyrillic:hmfrm")],
    }
    first = resolve(records, MINTER)
    for order in itertools.permutations(records):
        again = resolve({doc: records[doc] for doc in order}, MINTER)
        assert dict(again.canonical) == dict(first.canonical)


@pytest.mark.parametrize("n", [200, 2000])
def test_identity_blocks_keep_work_linear(n: int) -> None:
    """Many distinct names: every node stays its own group (no accidental joins) and nothing is compared pairwise."""
    records = {f"d{i}": [rec(f"компания {i}", f"name:компания {i}", f"skel:cyrillic:k{i}")] for i in range(n)}
    res = resolve(records, MINTER)
    assert not res.groups


def person(key: str, region: str | None, gender: str | None = None) -> EntityRecord:
    """A person's record as ``records_of`` writes it, in a document of ``region``, its name saying
    ``gender`` (``kg.extract.gender``)."""
    from kg.resolve.records import _person_keys

    return rec(key, *_person_keys(key, region, gender), kind=Kind.PERSON)


@pytest.mark.parametrize(("docs", "expected"), [
    # a surname alone and an initial join the one full name of their region; a surname natasha
    # left inflected joins
    ({"a": [person("алексей орлов", "RU-KRS")], "b": [person("орлов @RU-KRS", "RU-KRS")],
      "c": [person("а. орлов @RU-KRS", "RU-KRS")], "d": [person("алексей орлову", "RU-KRS")]},
     [{"алексей орлов", "орлов @RU-KRS", "а. орлов @RU-KRS", "алексей орлову"}]),
    # another region's Orlov keeps his surname, and his own full name
    ({"a": [person("алексей орлов", "RU-KRS")], "b": [person("сергей орлов", "RU-NGR")],
      "c": [person("орлов @RU-NGR", "RU-NGR")], "d": [person("орлов @RU-KRS", "RU-KRS")]},
     [{"алексей орлов", "орлов @RU-KRS"}, {"сергей орлов", "орлов @RU-NGR"}]),
    # two full names with one surname in one region: the surname alone stays apart
    ({"a": [person("алексей орлов", "RU-KRS")], "b": [person("сергей орлов", "RU-KRS")],
      "c": [person("орлов @RU-KRS", "RU-KRS")]},
     [{"алексей орлов"}, {"сергей орлов"}, {"орлов @RU-KRS"}]),
    # an initial without a region joins the one full name anywhere with it; a surname alone does not
    ({"a": [person("павел зимин", "RU-VLG")], "b": [person("п. зимин", None)], "c": [person("зимин", None)]},
     [{"павел зимин", "п. зимин"}, {"зимин"}]),
    # two initials of one surname, two people; a woman and a man of one surname stem, two names
    ({"a": [person("алексей орлов", "RU-KRS")], "b": [person("с. орлов @RU-KRS", "RU-KRS")],
      "c": [person("алексей орлова", "RU-KRS")], "d": [person("анна орлова", "RU-KRS")]},
     [{"алексей орлов", "алексей орлова"}, {"с. орлов @RU-KRS"}, {"анна орлова"}]),
    # a woman named by her surname alone never joins the one man of that surname in her region,
    # nor a man the one woman; a surname alone whose gender is not said still joins
    ({"a": [person("павел никитин", "RU-NIZ", "m")], "b": [person("никитина @RU-NIZ", "RU-NIZ", "f")]},
     [{"павел никитин"}, {"никитина @RU-NIZ"}]),
    ({"a": [person("марина белова", "RU-SAM", "f")], "b": [person("белов @RU-SAM", "RU-SAM", "m")],
      "c": [person("м. белов @RU-SAM", "RU-SAM", "f")], "d": [person("белова @RU-SAM", "RU-SAM")]},
     [{"марина белова", "м. белов @RU-SAM", "белова @RU-SAM"}, {"белов @RU-SAM"}]),
    # a first name that does not say the gender: either surname alone joins
    ({"a": [person("джон смит", "RU-MOW")], "b": [person("смит @RU-MOW", "RU-MOW", "m")]},
     [{"джон смит", "смит @RU-MOW"}]),
])
def test_identity_person_name_parts(docs: dict[str, list[EntityRecord]], expected: list[set[str]]) -> None:
    assert groups_of(docs) == {frozenset(g) for g in expected}
