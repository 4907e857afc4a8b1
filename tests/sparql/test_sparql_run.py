"""Named queries on the hand-written fixture, run on the embedded store.

The expected answers follow from the fixture's design (tests/sparql/data/make_fixture.py):
Нанолек and Уралмет belong to two clusters each; Тульская область and Лимузен have
no cluster; Сименс is the German partner; the agreements are of 2023 and 2024.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import KgError, QuerySyntaxError
from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.api import query
from kg.sparql import NamedQuery, Rows, list_queries
from kg.store.oxigraph import OxigraphStore

MINT = IriMinter()
KALUGA = MINT.entity(Kind.REGION, "калужская область")
TULA = MINT.entity(Kind.REGION, "тульская область")
TITAN = MINT.entity(Kind.CLUSTER, "титановый кластер")
NANOLEK = MINT.entity(Kind.COMPANY, "нанолек")
URALMET = MINT.entity(Kind.COMPANY, "уралмет")


def names(rows: Rows, column: str) -> set[str]:
    return {t.value for t in rows.column(column) if t is not None}


def select(name: str, store: OxigraphStore, **params: str) -> Rows:
    result = query(name, store=store, params=params)
    assert isinstance(result, Rows)
    return result


def test_run_organisations_in_several_clusters(fixture_store: OxigraphStore) -> None:
    rows = select("organisations-in-several-clusters", fixture_store)
    assert rows.as_dicts() == [
        {"org": NANOLEK, "org_name": "Нанолек", "clusters": 2},
        {"org": URALMET, "org_name": "Уралмет", "clusters": 2},
    ]


def test_run_regions_without_clusters(fixture_store: OxigraphStore) -> None:
    rows = select("regions-without-clusters", fixture_store)
    assert names(rows, "region_name") == {"Лимузен", "Тульская область"}


@pytest.mark.parametrize(
    ("params", "clusters"),
    [
        ({}, {"Фармацевтический кластер Калужской области", "Титановый кластер",
              "Биотехнологический кластер Кировской области"}),
        ({"region": KALUGA}, {"Фармацевтический кластер Калужской области"}),
        ({"region_name": "Кировская область"}, {"Биотехнологический кластер Кировской области"}),
        ({"region": TULA}, set()),
    ],
)
def test_run_clusters_by_region(fixture_store: OxigraphStore, params: dict[str, str],
                                clusters: set[str]) -> None:
    assert names(select("clusters-by-region", fixture_store, **params), "cluster_name") == clusters


def test_run_cluster_profile_roles(fixture_store: OxigraphStore) -> None:
    rows = select("cluster-profile", fixture_store, cluster=TITAN)
    by_relation: dict[str, set[str]] = {}
    for row in rows.as_dicts():
        by_relation.setdefault(str(row["relation"]), set()).add(str(row["value_name"]))
    assert by_relation["member"] == {"Титан-Пром", "Уралмет"}
    assert by_relation["initiator"] == {"Правительство Свердловской области"}
    assert by_relation["anchor"] == {"Уралмет"}
    assert by_relation["region"] == {"Свердловская область"}
    assert by_relation["sector"] == {"металлургия"}
    assert by_relation["official"] == {"Алексей Орлов", "Иван Петров"}
    assert set(by_relation) == {"member", "initiator", "anchor", "region", "sector", "official",
                                "agreement", "source"}


def test_run_cluster_profile_relation_param(fixture_store: OxigraphStore) -> None:
    rows = select("cluster-profile", fixture_store, cluster=TITAN, relation="anchor")
    assert [(r["relation"], r["value"]) for r in rows.as_dicts()] == [("anchor", URALMET)]


def test_run_foreign_partners_by_country(fixture_store: OxigraphStore) -> None:
    rows = select("foreign-partners", fixture_store, country_name="Германия")
    assert names(rows, "partner_name") == {"Сименс"}
    assert names(rows, "relation") == {"event"}


@pytest.mark.parametrize(("year", "types"), [("2022", {"круглый стол"}), ("2023", {"визит"}), ("1999", set())])
def test_run_events_by_year(fixture_store: OxigraphStore, year: str, types: set[str]) -> None:
    assert names(select("events-by-region-year", fixture_store, year=year), "type") == types


def test_run_agreements_per_year(fixture_store: OxigraphStore) -> None:
    rows = select("agreements-per-year", fixture_store)
    assert rows.as_dicts() == [{"year": 2023, "agreements": 1}, {"year": 2024, "agreements": 1}]


def test_run_signed_with_whom_is_symmetric(fixture_store: OxigraphStore) -> None:
    pairs = {(r["who"], r["partner"]) for r in select("signed-with-whom", fixture_store).as_dicts()}
    assert pairs and all((b, a) in pairs for a, b in pairs)


def test_run_sources_text_matches_the_document(fixture_store: OxigraphStore) -> None:
    """Every mention's text is the slice [begin:end] of its document (code points)."""
    full = query("PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>\n"
                 "SELECT ?doc ?text WHERE { ?doc nif:isString ?text }", store=fixture_store)
    assert isinstance(full, Rows)
    doc_text = {str(r["doc"]): str(r["text"]) for r in full.as_dicts()}
    rows = select("sources", fixture_store, node=TITAN)
    assert len(rows) >= 1
    for r in rows.as_dicts():
        begin, end = int(r["begin"]), int(r["end"])  # type: ignore[arg-type]
        assert doc_text[str(r["doc"])][begin:end] == r["text"]


def test_run_co_membership_is_turtle_and_symmetric(fixture_store: OxigraphStore) -> None:
    text = query("co-membership-network", store=fixture_store)
    assert isinstance(text, str)
    linked = {(t.subject.value, t.object.value)  # type: ignore[union-attr]
              for t in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
              if t.predicate.value == "http://www.w3.org/ns/org#linkedTo"}
    assert (NANOLEK, URALMET) in linked and (URALMET, NANOLEK) in linked
    assert all((b, a) in linked for a, b in linked)


@pytest.mark.parametrize(("region", "expected"), [(KALUGA, True), (TULA, False)])
def test_run_ask_region_has_cluster(fixture_store: OxigraphStore, region: str, expected: bool) -> None:
    assert query("region-has-cluster", store=fixture_store, params={"region": region}) is expected


def test_run_syntax_error_has_line_and_column(fixture_store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match=r"^<query>:3:\d+: "):
        query("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTRE(?s)\n}", store=fixture_store)


def test_run_param_not_projected_is_an_error(fixture_store: OxigraphStore) -> None:
    with pytest.raises(KgError, match="projection"):
        query("SELECT ?s WHERE { ?s ?p ?o }", store=fixture_store, params={"o": "1"})


def test_run_needs_a_target() -> None:
    with pytest.raises(KgError, match="say where"):
        query("documents")


SELECTS = [q for q in list_queries() if q.form == "SELECT"]


@pytest.mark.parametrize("named", SELECTS, ids=[q.name for q in SELECTS])
def test_run_no_duplicate_rows(fixture_store: OxigraphStore, named: NamedQuery) -> None:
    """The union default graph is a bag: Уралмет's label comes once per document that names it.
    Every named query must still answer each row once."""
    params = {p.name: TITAN for p in named.params if p.required}
    if "person" in params:
        params["person"] = MINT.entity(Kind.PERSON, "алексей орлов")
    if "region" in params:
        params["region"] = KALUGA
    rows = select(named.name, fixture_store, **params)
    assert len(rows) > 0
    assert len(set(rows.rows)) == len(rows.rows)


def test_run_union_default_graph_is_a_set(fixture_store: OxigraphStore) -> None:
    """The fixture names Уралмет in two documents; the default graph states its label once."""
    rows = select(f"SELECT ?l WHERE {{ <{URALMET}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
                  fixture_store)
    assert [r[0].value for r in rows] == ["Уралмет"]  # type: ignore[union-attr]
    graphs = select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{URALMET}> a ?t }} }}", fixture_store)
    assert len({r[0].value for r in graphs}) == 2  # type: ignore[union-attr]
