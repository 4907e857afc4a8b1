"""Issue 17 item 3: every fact carries the span it was read from (ckg:evidence, a nif:Phrase) and
the sentence holding it (nif:sentence, a nif:Sentence), stated by the mapping for any fact type."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg.mapping.to_rdf import to_graph
from kg.mapping.validate import validate
from kg.mapping.vocab import CKG, NIF, RDF
from kg.model import ClusterLink, ClusterRole, Document, Entity, Extraction, Kind, Post, Span

TEXT = "Кластер создан в Кирове. В его состав вошли ООО «Альфа» и ООО «Бета». Директор ООО «Альфа» Иван Петров."


def _span(text: str, start: int = 0) -> Span:
    at = TEXT.index(text, start)
    return Span(at, at + len(text), text)


def _sentence(text: str) -> tuple[int, int]:
    at = TEXT.index(text)
    return at, at + len(text)


def extraction(sentences: tuple[tuple[int, int], ...]) -> Extraction:
    cluster = Entity("e1", Kind.CLUSTER, "кластер кирова", "Кластер", (_span("Кластер"),))
    alpha = Entity("e2", Kind.COMPANY, "альфа", "Альфа", (_span("ООО «Альфа»"),))
    beta = Entity("e3", Kind.COMPANY, "бета", "Бета", (_span("ООО «Бета»"),))
    person = Entity("e4", Kind.PERSON, "иван петров", "Иван Петров", (_span("Иван Петров"),))
    members = _span("вошли ООО «Альфа» и ООО «Бета»")
    facts = (
        ClusterLink("e1", "e2", ClusterRole.MEMBER, members, "member.enter", 0.9),
        ClusterLink("e1", "e3", ClusterRole.MEMBER, members, "member.enter", 0.9),
        Post("e4", "директор", "e2", _span("Директор ООО «Альфа» Иван Петров"), "post.grammar"),
    )
    return Extraction(Document("d1", TEXT), (cluster, alpha, beta, person), facts, sentences)


SENTENCES = (_sentence("В его состав вошли ООО «Альфа» и ООО «Бета»."),
             _sentence("Директор ООО «Альфа» Иван Петров."))


def _facts(graph: Graph) -> set[URIRef]:
    return {s for cls in (RDF.Statement, URIRef("http://www.w3.org/ns/org#Post"))
            for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def test_evidence_every_fact_points_to_its_span_and_sentence() -> None:
    graph = to_graph(extraction(SENTENCES))
    facts = _facts(graph)
    assert len(facts) == 3
    for fact in facts:
        [phrase] = graph.objects(fact, CKG.evidence)
        begin, end = int(graph.value(phrase, NIF.beginIndex)), int(graph.value(phrase, NIF.endIndex))
        assert str(graph.value(phrase, NIF.anchorOf)) == TEXT[begin:end]
        assert (phrase, RDF.type, NIF.Phrase) in graph
        [sentence] = graph.objects(phrase, NIF.sentence)
        assert (sentence, RDF.type, NIF.Sentence) in graph
        s_begin, s_end = int(graph.value(sentence, NIF.beginIndex)), int(graph.value(sentence, NIF.endIndex))
        assert graph.value(sentence, NIF.anchorOf) == Literal(TEXT[s_begin:s_end])
        assert s_begin <= begin and end <= s_end
    members = {graph.value(s, NIF.anchorOf) for f in facts if (f, RDF.predicate, None) in graph
               for p in graph.objects(f, CKG.evidence) for s in graph.objects(p, NIF.sentence)}
    assert members == {Literal("В его состав вошли ООО «Альфа» и ООО «Бета».")}
    # the cluster's own mention, in another sentence, is no fact's evidence
    cluster_mention = URIRef("https://w3id.org/cluster-kg/id/doc/d1#char=0,7")
    assert (None, CKG.evidence, cluster_mention) not in graph
    assert validate(graph).conforms


def test_evidence_without_sentences_still_points_to_the_span() -> None:
    """An extraction from before sentences were kept (an older identity index) gives no nif:sentence."""
    graph = to_graph(extraction(()))
    assert len(set(graph.subject_objects(CKG.evidence))) == 3
    assert not list(graph.subject_objects(NIF.sentence))
    assert validate(graph).conforms


def test_evidence_sentence_that_does_not_slice_the_text_is_reported() -> None:
    graph = to_graph(extraction(SENTENCES))
    [sentence] = {s for s in graph.subjects(RDF.type, NIF.Sentence) if "#char=70," in str(s)}
    graph.set((sentence, NIF.anchorOf, Literal("Не то предложение.")))
    report = validate(graph)
    assert not report.conforms
    assert any("Не то предложение." in v.message for v in report.violations)
