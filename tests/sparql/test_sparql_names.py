"""Name-first queries: a name (any case, ё/е, word endings) instead of an IRI, ambiguity listed,
enumerated parameters checked, and kg find; locally and on real servers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from servers import Server

from kg.cli import cli
from kg.errors import KgError
from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.api import find, query
from kg.sparql import Rows
from kg.sparql.names import AmbiguousName, NameNotFound, fold, is_name, rank
from kg.sparql.terms import STANDARD_PREFIXES
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import Endpoint, push
from tests.store_helpers import add_quads

MINT = IriMinter()
KALUGA = MINT.entity(Kind.REGION, "калужская область")
KIROV_REGION = "https://w3id.org/cluster-kg/id/region/"  # prefix of the Kirov region's IRI
TITAN = MINT.entity(Kind.CLUSTER, "титановый кластер")
ORLOV = MINT.entity(Kind.PERSON, "алексей орлов")


@pytest.mark.parametrize(("text", "name", "expected"), [
    ("Кировская область", "Кировская область", 4),
    ("кировская  ОБЛАСТЬ", "Кировская область", 4),
    ("Кировской области", "Кировская область", 3),
    ("кировской", "Кировская область", 2),
    ("Киров", "Кировская область", 1),  # only as the beginning of a word: the city Киров ranks first
    ("Кировская область", "Киров", 0),
    ("Королев", "Королёв", 4),  # ё is е
    ("Ольгу Сухову", "Ольга Сухова", 3),
    ("Титанового кластера", "Титановый кластер", 3),
    ("ООО «Нанолек»", "ООО Нанолек", 4),  # quotes and punctuation dropped
    ("Нанолек", "ООО «Нанолек»", 2),
    ("Уралмета", "Уралмет", 3),
    ("Титан", "Титановый кластер", 1),
    ("2024", "2025", 0),  # numbers only equal
    ("ИТ", "ИТМО", 0),  # words under three letters only equal
])
def test_names_rank(text: str, name: str, expected: int) -> None:
    assert rank(fold(text), fold(name)) == expected


@pytest.mark.parametrize(("value", "name"), [
    ("Титановый кластер", True), ("кластер: Титан", True), ("https://w3id.org/cluster-kg/id/x", False),
    ("<https://w3id.org/x>", False), ("id:cluster/x", False), ("ckg:Cluster", False), ("http://x> } ; DROP", False),
])
def test_names_is_name(value: str, name: bool) -> None:
    assert is_name(value, STANDARD_PREFIXES) is name


def rows_of(result: object) -> list[tuple[str | None, ...]]:
    assert isinstance(result, Rows)
    return [tuple(t.value if t else None for t in row) for row in result]


@pytest.mark.parametrize("name", ["Титановый кластер", "титановый КЛАСТЕР", "Титанового кластера", "титанового"])
def test_names_profile_by_name_equals_by_iri(fixture_store: OxigraphStore, name: str) -> None:
    by_iri = query("cluster-profile", store=fixture_store, params={"cluster": TITAN})
    by_name = query("cluster-profile", store=fixture_store, params={"cluster": name})
    assert rows_of(by_name) == rows_of(by_iri) and len(rows_of(by_iri)) > 3


@pytest.mark.parametrize("name", ["калужская область", "Калужской области", "калужской"])
def test_names_label_parameter(fixture_store: OxigraphStore, name: str) -> None:
    exact = query("clusters-by-region", store=fixture_store, params={"region_name": "Калужская область"})
    assert rows_of(query("clusters-by-region", store=fixture_store, params={"region_name": name})) == rows_of(exact)
    assert rows_of(query("clusters-by-region", store=fixture_store, params={"region": name})) == rows_of(exact)
    assert len(rows_of(exact)) == 1


def test_names_person_profile_by_inflected_name(fixture_store: OxigraphStore) -> None:
    assert rows_of(query("person-profile", store=fixture_store, params={"person": "Алексея Орлова"})) == rows_of(
        query("person-profile", store=fixture_store, params={"person": ORLOV}))


def test_names_ambiguous_lists_the_candidates(fixture_store: OxigraphStore) -> None:
    with pytest.raises(AmbiguousName) as caught:
        query("cluster-members", store=fixture_store, params={"cluster": "кластер"})
    message = str(caught.value)
    assert "'кластер' names 3 clusters: " in message and "\n" not in message
    for label in ("Биотехнологический кластер Кировской области", "Титановый кластер",
                  "Фармацевтический кластер Калужской области"):
        assert label in message
    assert f"<{TITAN}>" in message


def test_names_better_match_wins_over_partial(fixture_store: OxigraphStore) -> None:
    # «Кировская область» names the region exactly; the cluster «… Кировской области» only in part
    rows = rows_of(query("regions-without-clusters", store=fixture_store, params={"region": "Кировская область"}))
    assert [r[1] for r in rows] in ([], ["Кировская область"])
    found = find("кировская область", store=fixture_store)
    assert [(r[1], r[2], r[3]) for r in rows_of(found)][:2] == [
        ("Кировская область", "Region", "exact"), ("Биотехнологический кластер Кировской области", "Cluster", "partial")]


def test_names_unknown_name_is_an_error(fixture_store: OxigraphStore) -> None:
    with pytest.raises(NameNotFound, match=r"parameter person: no person is called 'Пётр Первый'"):
        query("person-profile", store=fixture_store, params={"person": "Пётр Первый"})


def test_names_class_is_respected(fixture_store: OxigraphStore) -> None:
    with pytest.raises(NameNotFound):  # Нанолек is a company, not a person
        query("person-profile", store=fixture_store, params={"person": "Нанолек"})


def test_names_find_lists_every_class_once(fixture_store: OxigraphStore) -> None:
    found = rows_of(find("Титан", store=fixture_store))
    assert {(r[1], r[2]) for r in found} >= {("Титан-Пром", "Company"), ("Титановый кластер", "Cluster")}
    assert len({r[0] for r in found}) == len(found)  # each entity once, though typed twice (Company, Organization)
    only = rows_of(find("Титан", store=fixture_store, classes=["cluster"]))
    assert [r[1] for r in only] == ["Титановый кластер"]
    with pytest.raises(KgError, match="unknown class 'Factory'; choose one of Cluster, Company"):
        find("Титан", store=fixture_store, classes=["Factory"])


def test_names_yo_in_the_graph() -> None:
    store = OxigraphStore(None)
    graph = ox.NamedNode("https://w3id.org/cluster-kg/id/doc/yo")
    person = ox.NamedNode("https://w3id.org/cluster-kg/id/person/korolyov")
    quads = [ox.Quad(person, ox.NamedNode(STANDARD_PREFIXES["rdf"] + "type"),
                     ox.NamedNode(STANDARD_PREFIXES["ckg"] + "Person"), graph),
             ox.Quad(person, ox.NamedNode(STANDARD_PREFIXES["rdfs"] + "label"), ox.Literal("Сергей Королёв", language="ru"),
                     graph)]
    add_quads(store, quads)
    assert rows_of(find("сергея королева", store=store)) == [(person.value, "Сергей Королёв", "Person", "inflected")]


def test_names_cli_find(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["find", "калужской", "-w", str(workspace), "-f", "csv"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.replace("\r\n", "\n").splitlines()
    assert lines[0] == "entity,label,class,match"
    assert f"{KALUGA},Калужская область,Region,partial" in lines


def test_names_cli_ambiguous_is_one_error_line(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "cluster-profile", "-w", str(workspace), "-p", "cluster=кластер"])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "'кластер' names 3 clusters" in result.stderr


@pytest.mark.server
@pytest.mark.parametrize("server_name", ["oxigraph_plain_server", "virtuoso_server"])
def test_names_remote_like_local(server_name: str, request: pytest.FixtureRequest, workspace: Path,
                                 fixture_store: OxigraphStore) -> None:
    """Names are looked up on the server (CONTAINS on Cyrillic text), with the same answers."""
    server: Server = request.getfixturevalue(server_name)
    push(workspace, Endpoint(server.store_url, server.user, server.password, server.auth), force=True)
    endpoint = Endpoint(server.query_url, server.user, server.password, server.auth)
    for name, params in [("cluster-profile", {"cluster": "Титанового кластера"}),
                         ("clusters-by-region", {"region_name": "калужской"}),
                         ("person-profile", {"person": "Алексея Орлова"})]:
        assert sorted(rows_of(query(name, endpoint=endpoint, params=params))) == sorted(
            rows_of(query(name, store=fixture_store, params=params)))
    assert rows_of(find("Титан", endpoint=endpoint)) == rows_of(find("Титан", store=fixture_store))
    with pytest.raises(AmbiguousName):
        query("cluster-members", endpoint=endpoint, params={"cluster": "кластер"})
