from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef
from rdflib.term import _is_valid_uri

from kg.errors import KgError
from kg.mapping.iri import DEFAULT_BASE, IriMinter, slug
from kg.model import Kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Алексей Орлов", "aleksei-orlov"),
        ("«Титановая долина»", "titanovaya-dolina"),
        ("ASIS", "asis"),
        ("ООО «Нанолек»", "ooo-nanolek"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_iri_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_iri_same_key_same_iri_across_minters() -> None:
    a = IriMinter().entity(Kind.PERSON, "алексей орлов")
    b = IriMinter().entity(Kind.PERSON, "алексей орлов")
    assert a == b
    assert a.startswith(DEFAULT_BASE + "person/aleksei-orlov-")


def test_iri_organisation_kinds_share_one_iri() -> None:
    minter = IriMinter()
    iris = {minter.entity(kind, "нанолек") for kind in (Kind.COMPANY, Kind.ORGANIZATION, Kind.AUTHORITY)}
    assert len(iris) == 1


def test_iri_keys_that_slug_alike_stay_apart() -> None:
    minter = IriMinter()
    assert minter.entity(Kind.COMPANY, "абв") != minter.entity(Kind.COMPANY, "abv")


def test_iri_document_and_mention() -> None:
    minter = IriMinter("http://example.org/kg/")
    assert minter.document("h01") == "http://example.org/kg/doc/h01"
    assert minter.mention("a b/c", 3, 9) == "http://example.org/kg/doc/a%20b%2Fc#char=3,9"


@pytest.mark.parametrize("base", ["example.org/", "http://example.org", "ftp://x/", "http://ex ample.org/", ""])
def test_iri_bad_base_is_refused(base: str) -> None:
    with pytest.raises(KgError, match="base IRI"):
        IriMinter(base)


@given(st.text(max_size=60), st.sampled_from(list(Kind)))
def test_iri_entity_is_valid_and_deterministic(key: str, kind: Kind) -> None:
    iri = IriMinter().entity(kind, key)
    assert iri == IriMinter().entity(kind, key)
    assert _is_valid_uri(iri)
    assert all(0x20 < ord(ch) < 0x7F for ch in iri)
    URIRef(iri)


@given(st.text(min_size=1, max_size=60), st.integers(0, 10**6), st.integers(0, 10**6))
def test_iri_document_ids_are_valid(doc_id: str, start: int, stop: int) -> None:
    iri = IriMinter().mention(doc_id, start, stop)
    assert _is_valid_uri(iri)
    assert " " not in iri and "<" not in iri and '"' not in iri
