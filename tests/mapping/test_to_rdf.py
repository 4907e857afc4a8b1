from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.mapping.iri import IriMinter
from kg.mapping.to_rdf import to_graph
from kg.mapping.vocab import CKG, NIF, ORG, PROV, RDF, XSD
from kg.model import (
    Agreement,
    ClusterLink,
    ClusterRole,
    DateKind,
    DateValue,
    Document,
    Entity,
    Extraction,
    Kind,
    Post,
    Span,
)

GOLDEN = Path(__file__).parents[1] / "data" / "golden"
TEXT = (
    "12 мая в присутствии министра промышленности Пермского края Ивана Петрова "
    "кластер «Прикамье» подписал меморандум с ООО «Ромашка»."
)


def span(text: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    return Span(start, start + len(text), text)


def sample() -> Extraction:
    doc = Document("t-01", TEXT, date="2024-05-20", title="Пример", url="https://example.org/n/1")
    region = Entity("e1", Kind.REGION, "RU-PER", "Пермский край", (span("Пермского края"),), iso_code="RU-PER", wikidata="Q5400")
    ministry = Entity("e2", Kind.AUTHORITY, "министерство промышленности пермского края",
                      "министерство промышленности Пермского края",
                      (span("министра промышленности Пермского края"),), located_in="e1")
    person = Entity("e3", Kind.PERSON, "иван петров", "Иван Петров", (span("Ивана Петрова"),))
    cluster = Entity("e4", Kind.CLUSTER, "прикамье", "Прикамье", (span("кластер «Прикамье»"),), located_in="e1")
    company = Entity("e5", Kind.COMPANY, "ромашка", "Ромашка", (span("ООО «Ромашка»"),),
                     alt_labels=("ООО «Ромашка»",), legal_form="ООО")
    sentence = Span(0, len(TEXT), TEXT)
    facts = (
        Post("e3", "министр промышленности", "e2", span("министра промышленности Пермского края Ивана Петрова"),
             rule="post.grammar"),
        ClusterLink("e4", "e5", ClusterRole.MEMBER, sentence, rule="member.agreement-party", confidence=0.6),
        Agreement("меморандум", sentence, parties=("e4", "e5"), witnesses=("e3",),
                  date=DateValue("2024-05-12", DateKind.DATE), about=("e4",)),
    )
    return Extraction(doc, (region, ministry, person, cluster, company), facts)


def test_to_rdf_matches_golden(update_golden: bool) -> None:
    graph = to_graph(sample(), IriMinter("http://example.org/kg/"))
    path = GOLDEN / "memorandum.ttl"
    if update_golden:
        path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(path, format="turtle")
    if not isomorphic(graph, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(graph))
        pytest.fail(
            "graph differs from golden\nmissing:\n" + missing.serialize(format="nt")
            + "\nextra:\n" + extra.serialize(format="nt")
        )


def test_to_rdf_mentions_keep_the_offset_invariant() -> None:
    graph = to_graph(sample())
    phrases = list(graph.subjects(RDF.type, NIF.Phrase))
    assert len(phrases) == 7  # 5 entities, the post, the agreement (the link's evidence is the same sentence)
    for phrase in phrases:
        begin = int(graph.value(phrase, NIF.beginIndex))
        end = int(graph.value(phrase, NIF.endIndex))
        assert str(graph.value(phrase, NIF.anchorOf)) == TEXT[begin:end]
        assert graph.value(phrase, NIF.beginIndex).datatype == XSD.nonNegativeInteger


def test_to_rdf_every_fact_node_is_derived_from_the_document() -> None:
    graph = to_graph(sample())
    doc = URIRef(IriMinter().document("t-01"))
    for cls in (ORG.Post, CKG.Agreement, CKG.Person, CKG.Cluster, CKG.Company):
        nodes = list(graph.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert (node, PROV.wasDerivedFrom, doc) in graph


def test_to_rdf_readings_carry_rule_and_confidence() -> None:
    graph = to_graph(sample())
    (statement,) = graph.subjects(RDF.type, RDF.Statement)
    cluster, company = (URIRef(IriMinter().entity(k, key)) for k, key in ((Kind.CLUSTER, "прикамье"),
                                                                            (Kind.COMPANY, "ромашка")))
    assert (cluster, ORG.hasMember, company) in graph
    assert (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
            graph.value(statement, RDF.object)) == (cluster, ORG.hasMember, company)
    assert str(graph.value(statement, CKG.extractedBy)) == "member.agreement-party"
    confidence = graph.value(statement, CKG.confidence)
    assert confidence.datatype == XSD.decimal and float(confidence) == 0.6
    assert (statement, PROV.wasDerivedFrom, URIRef(IriMinter().document("t-01"))) in graph
    assert any(graph.subjects(URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"), statement))
    (post,) = graph.subjects(RDF.type, ORG.Post)
    assert str(graph.value(post, CKG.extractedBy)) == "post.grammar"
    assert graph.value(post, CKG.confidence) is None  # the rule gives none
    (agreement,) = graph.subjects(RDF.type, CKG.Agreement)
    assert graph.value(agreement, CKG.extractedBy) is None  # no rule named: nothing said


def test_to_rdf_readings_pass_the_shapes() -> None:
    from kg.mapping.validate import validate

    graph = to_graph(sample())
    assert validate(graph).conforms
    (statement,) = graph.subjects(RDF.type, RDF.Statement)
    graph.set((statement, CKG.confidence, Literal("1.5", datatype=XSD.decimal)))
    assert not validate(graph).conforms


def test_to_rdf_document_keeps_text_and_partial_dates() -> None:
    doc = Document("x", "текст", date="2024-09")
    graph = to_graph(Extraction(doc))
    node = URIRef(IriMinter().document("x"))
    assert graph.value(node, NIF.isString) == Literal("текст")
    assert graph.value(node, URIRef("http://purl.org/dc/terms/date")) == Literal("2024-09", datatype=XSD.gYearMonth)


def test_to_rdf_a_completed_date_says_what_the_text_gave() -> None:
    """Issue 17: a date whose year kg took from the document's date says so (ckg:statedDate)."""
    x = sample()
    agreement = Agreement("меморандум", Span(0, len(TEXT), TEXT), parties=("e4", "e5"),
                          date=DateValue("2024-05-12", DateKind.DATE, stated="--05-12"))
    graph = to_graph(Extraction(x.document, x.entities, (agreement,)))
    node = next(graph.subjects(RDF.type, CKG.Agreement))
    assert list(graph.objects(node, URIRef("http://purl.org/dc/terms/date"))) == [Literal("2024-05-12", datatype=XSD.date)]
    assert list(graph.objects(node, CKG.statedDate)) == [Literal("--05-12", datatype=XSD.gMonthDay)]


def test_to_rdf_a_full_date_is_not_restated() -> None:
    graph = to_graph(sample())
    assert not list(graph.subjects(CKG.statedDate, None))
