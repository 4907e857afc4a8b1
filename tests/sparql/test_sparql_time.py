"""Time from the documents (issue 17): links-seen's first and last dates, clusters-per-year."""

from __future__ import annotations

import pyoxigraph as ox

from kg.api import query
from kg.sparql import Rows
from kg.store.oxigraph import OxigraphStore
from tests.store_helpers import add_quads

ID = "https://w3id.org/cluster-kg/id/"
CKG = "https://w3id.org/cluster-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DATE = ox.NamedNode("http://purl.org/dc/terms/date")
CLUSTER, OTHER = ox.NamedNode(ID + "cluster/c"), ox.NamedNode(ID + "cluster/d")
ORG_X, PERSON = ox.NamedNode(ID + "org/x"), ox.NamedNode(ID + "person/p")


def document(store: OxigraphStore, name: str, date: str | None, *quads: tuple[ox.NamedNode, ox.NamedNode, object]
             ) -> None:
    graph = ox.NamedNode(ID + "doc/" + name)
    rows = [ox.Quad(graph, RDF_TYPE, ox.NamedNode(CKG + "Document"), graph)]
    if date:
        rows.append(ox.Quad(graph, DATE, ox.Literal(date, datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#" + ("date" if len(date) == 10 else "gYear"))), graph))
    for s, p, o in quads:
        rows.append(ox.Quad(s, p, o, graph))  # type: ignore[arg-type]
    add_quads(store, rows)


def names(store: OxigraphStore) -> None:
    document(store, "names", None, (CLUSTER, RDF_TYPE, ox.NamedNode(CKG + "Cluster")),
             (CLUSTER, LABEL, ox.Literal("Кластер", language="ru")), (ORG_X, LABEL, ox.Literal("Икс", language="ru")),
             (PERSON, LABEL, ox.Literal("Пётр", language="ru")), (PERSON, RDF_TYPE, ox.NamedNode(CKG + "Person")),
             (ORG_X, RDF_TYPE, ox.NamedNode(CKG + "Organization")))


def test_links_seen_first_and_last_document_dates() -> None:
    store = OxigraphStore()
    names(store)
    member = (CLUSTER, ox.NamedNode(ORG + "hasMember"), ORG_X)
    post = ox.NamedNode(ID + "post/p")
    holds = [(post, ox.NamedNode(ORG + "heldBy"), PERSON), (post, ox.NamedNode(ORG + "postIn"), ORG_X),
             (post, ox.NamedNode(CKG + "title"), ox.Literal("директор", language="ru"))]
    document(store, "a", "2024-05-05", member, *holds)
    document(store, "b", "2023-01-10", member)
    document(store, "c", None, member)  # undated: counted, no date
    rows = query("links-seen", store=store)
    assert isinstance(rows, Rows)
    seen = {(r[2].value, r[4].value): (r[5] and r[5].value, r[6] and r[6].value, r[7].value)  # type: ignore[union-attr]
            for r in rows.rows}
    assert seen == {("member", "Икс"): ("2023-01-10", "2024-05-05", "3"),
                    ("директор", "Пётр"): ("2024-05-05", "2024-05-05", "1")}
    only = query("links-seen", store=store, params={"who": "Пётр"})
    assert isinstance(only, Rows) and [r[2].value for r in only.rows] == ["директор"]  # type: ignore[union-attr]


def test_clusters_per_year_counts_the_first_dated_mention() -> None:
    store = OxigraphStore()
    names(store)
    typed = (OTHER, RDF_TYPE, ox.NamedNode(CKG + "Cluster"))
    document(store, "a", "2024-05-05", (CLUSTER, RDF_TYPE, ox.NamedNode(CKG + "Cluster")))
    document(store, "b", "2022", (CLUSTER, RDF_TYPE, ox.NamedNode(CKG + "Cluster")), typed)
    document(store, "c", "2025-02-01", typed)
    rows = query("clusters-per-year", store=store)
    assert isinstance(rows, Rows)
    assert [(r[0].value, r[1].value) for r in rows.rows] == [("2022", "2")]  # type: ignore[union-attr]
    document(store, "d", "2021-12-31", typed)
    rows = query("clusters-per-year", store=store)
    assert [(r[0].value, r[1].value) for r in rows.rows] == [("2021", "1"), ("2022", "1")]  # type: ignore[union-attr]
