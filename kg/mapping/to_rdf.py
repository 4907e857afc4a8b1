"""Extraction -> rdflib.Graph of one document (the document's named graph).

``_Mapper`` decides every triple: the document's, its entities' and their mentions'
here, each fact's in its fact type (``kg.facts``: ``FactType.triples`` on the mapper, a
``FactGraph``); it builds its terms with a ``Terms`` object and hands each triple to
an ``add`` callback. ``to_graph`` uses rdflib terms and a
Graph; ``kg.mapping.nquads.to_nquads`` uses N-Triples text for the build's hot path,
so both write the same triples.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, Protocol

from rdflib import Graph, Literal, URIRef

from kg.mapping.iri import IriMinter
from kg.mapping.vocab import (
    CKG,
    DCTERMS,
    ITSRDF,
    NIF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    bind_prefixes,
)
import kg.facts
from kg.model import DateKind, DateValue, Document, Entity, Extraction, Kind, Span, document_date
from kg.vocab import ENTITY_CLASSES

# the rdf:types of an entity of each kind (kg.vocab: a company is also a ckg:Organization)
CLASSES: dict[Kind, tuple[URIRef, ...]] = {c.kind: tuple(URIRef(t) for t in c.types) for c in ENTITY_CLASSES}

DATATYPE = {
    DateKind.DATE: XSD.date,
    DateKind.YEAR_MONTH: XSD.gYearMonth,
    DateKind.YEAR: XSD.gYear,
    DateKind.MONTH_DAY: XSD.gMonthDay,
}

WIKIDATA = "http://www.wikidata.org/entity/"

# The vocabulary terms the mapper states, bound once: reading an attribute of an rdflib namespace
# (``NIF.beginIndex``) builds a new URIRef each time, and a document states some 200 of them.
_TYPE = RDF.type
_DOCUMENT = CKG.Document
_CONTEXT = NIF.Context
_IS_STRING = NIF.isString
_BEGIN = NIF.beginIndex
_END = NIF.endIndex
_NON_NEGATIVE = XSD.nonNegativeInteger
_IDENTIFIER = DCTERMS.identifier
_CONTENT_HASH = CKG.contentHash
_DATE = DCTERMS.date
_TITLE = DCTERMS.title
_SOURCE = DCTERMS.source
_PHRASE = NIF.Phrase
_REFERENCE_CONTEXT = NIF.referenceContext
_ANCHOR_OF = NIF.anchorOf
_IDENT_REF = ITSRDF.taIdentRef
_EVIDENCE = CKG.evidence
_SENTENCE = NIF.sentence
_SENTENCE_CLASS = NIF.Sentence
_LABEL = RDFS.label
_ALT_LABEL = SKOS.altLabel
_LEGAL_FORM = CKG.legalForm
_ISO_CODE = CKG.isoCode
_SAME_AS = OWL.sameAs
_LOCATED_IN = CKG.locatedIn
_SECTOR = CKG.sector
_DERIVED_FROM = PROV.wasDerivedFrom


def content_hash(doc: Document) -> str:
    """SHA-256 of everything in a record that the graph depends on."""
    parts = (doc.id, doc.text, doc.date or "", doc.title or "", doc.url or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class Terms(Protocol):
    """Builds the terms of a triple; vocabulary terms (``RDF.type``, ``CKG.Cluster``) are URIRefs."""

    def iri(self, value: str) -> Any: ...

    def plain(self, value: str) -> Any: ...

    def lang(self, value: str, lang: str) -> Any: ...

    def typed(self, value: int | str, datatype: URIRef) -> Any: ...


class RdflibTerms:
    """rdflib terms, for ``to_graph``."""

    @staticmethod
    def iri(value: str) -> URIRef:
        return URIRef(value)

    @staticmethod
    def plain(value: str) -> Literal:
        return Literal(value)

    @staticmethod
    def lang(value: str, lang: str) -> Literal:
        return Literal(value, lang=lang)

    @staticmethod
    def typed(value: int | str, datatype: URIRef) -> Literal:
        return Literal(value, datatype=datatype)


class _Mapper:
    """Maps one Extraction to triples, passed to ``add``; holds the lookups for one document."""

    def __init__(self, extraction: Extraction, minter: IriMinter, terms: Terms,
                 add: Callable[[Any, Any, Any], object]) -> None:
        self.x = extraction
        self.doc = extraction.document
        self.minter = minter
        self.t = terms
        self.add = add
        self.doc_iri = terms.iri(minter.document(self.doc.id))
        self.by_id: dict[str, Entity] = {e.id: e for e in extraction.entities}
        self.iris: dict[str, Any] = {
            e.id: terms.iri(minter.entity(e.kind, e.key)) for e in extraction.entities
        }
        self._evidence: Span | None = None  # the evidence of the fact whose triples are being stated
        self._sentence_starts = [start for start, _ in extraction.sentences]
        self._sentences: dict[tuple[int, int], Any] = {}  # stated nif:Sentence nodes

    def run(self, digest: str) -> None:
        self.document(digest)
        for entity in self.x.entities:
            self.entity(entity)
        types = kg.facts.by_class(kg.facts.FACTS)
        for fact in self.x.facts:
            self._evidence = fact.evidence
            types[type(fact)].triples(self, fact)
        self._evidence = None

    def document(self, digest: str) -> None:
        doc, d, t = self.doc, self.doc_iri, self.t
        self.add(d, _TYPE, _DOCUMENT)
        self.add(d, _TYPE, _CONTEXT)
        self.add(d, _IS_STRING, t.plain(doc.text))
        self.add(d, _BEGIN, t.typed(0, _NON_NEGATIVE))
        self.add(d, _END, t.typed(len(doc.text), _NON_NEGATIVE))
        self.add(d, _IDENTIFIER, t.plain(doc.id))
        self.add(d, _CONTENT_HASH, t.plain(digest))
        date = document_date(doc.date) if doc.date else None
        if date:
            self.add(d, _DATE, self.date(date))
        if doc.title:
            self.add(d, _TITLE, t.plain(doc.title))
        if doc.url:
            self.add(d, _SOURCE, t.iri(doc.url) if _is_iri(doc.url) else t.plain(doc.url))

    def date(self, value: DateValue) -> Any:
        return self.t.typed(value.value, DATATYPE[value.kind])

    def mention(self, span: Span, target: Any) -> None:
        t = self.t
        m = t.iri(self.minter.mention(self.doc.id, span.start, span.stop))
        self.add(m, _TYPE, _PHRASE)
        self.add(m, _REFERENCE_CONTEXT, self.doc_iri)
        self.add(m, _BEGIN, t.typed(span.start, _NON_NEGATIVE))
        self.add(m, _END, t.typed(span.stop, _NON_NEGATIVE))
        self.add(m, _ANCHOR_OF, t.plain(span.text))
        self.add(m, _IDENT_REF, target)
        if span == self._evidence:  # the mention a fact type states for its fact's evidence
            self.add(target, _EVIDENCE, m)
            sentence = self.sentence(span)
            if sentence is not None:
                self.add(m, _SENTENCE, sentence)

    def sentence(self, span: Span) -> Any:
        """The ``nif:Sentence`` node of the sentence ``span`` was read in (``Extraction.sentences``),
        stated once per document; None when the extraction holds no sentence around it."""
        at = bisect_right(self._sentence_starts, span.start) - 1
        while at >= 0 and self.x.sentences[at][1] < span.stop:
            at -= 1  # a longer sentence starting earlier may hold the span
        if at < 0:
            return None
        bounds = self.x.sentences[at]
        node = self._sentences.get(bounds)
        if node is None:
            t, (start, stop) = self.t, bounds
            node = self._sentences[bounds] = t.iri(self.minter.mention(self.doc.id, start, stop))
            self.add(node, _TYPE, _SENTENCE_CLASS)
            self.add(node, _REFERENCE_CONTEXT, self.doc_iri)
            self.add(node, _BEGIN, t.typed(start, _NON_NEGATIVE))
            self.add(node, _END, t.typed(stop, _NON_NEGATIVE))
            self.add(node, _ANCHOR_OF, t.plain(self.doc.text[start:stop]))
        return node

    def entity(self, e: Entity) -> None:
        node, t = self.iris[e.id], self.t
        for cls in CLASSES[e.kind]:
            self.add(node, _TYPE, cls)
        self.add(node, _LABEL, t.lang(e.label, "ru"))
        for alt in e.alt_labels:
            if alt != e.label:
                self.add(node, _ALT_LABEL, t.lang(alt, "ru"))
        if e.legal_form:
            self.add(node, _LEGAL_FORM, t.plain(e.legal_form))
        if e.iso_code:
            self.add(node, _ISO_CODE, t.plain(e.iso_code))
        if e.wikidata:
            self.add(node, _SAME_AS, t.iri(WIKIDATA + e.wikidata))
        if e.located_in and e.located_in in self.iris:
            self.add(node, _LOCATED_IN, self.iris[e.located_in])
        for sector in e.sectors:
            if sector in self.iris:
                self.add(node, _SECTOR, self.iris[sector])
        self.add(node, _DERIVED_FROM, self.doc_iri)
        for span in e.mentions:
            self.mention(span, node)


def _is_iri(text: str) -> bool:
    """An absolute http(s) IRI the store accepts (checked by Oxigraph's own IRI parser)."""
    if not text.startswith(("http://", "https://")) or any(ch in text for ch in ' <>"{}|\\^`'):
        return False
    from pyoxigraph import NamedNode  # the store's validator: control characters, bad %-escapes

    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def to_graph(extraction: Extraction, minter: IriMinter | None = None) -> Graph:
    """The RDF graph of one document: the document, its entities, facts and mentions."""
    graph = Graph()
    bind_prefixes(graph)
    add = graph.add
    _Mapper(extraction, minter or IriMinter(), RdflibTerms(),
            lambda s, p, o: add((s, p, o))).run(content_hash(extraction.document))
    return graph
