"""Extraction -> rdflib.Graph of one document (the document's named graph).

``_Mapper`` decides every triple; it builds its terms with a ``Terms`` object and
hands each triple to an ``add`` callback. ``to_graph`` uses rdflib terms and a
Graph; ``kg.mapping.nquads.to_nquads`` uses N-Triples text for the build's hot path,
so both write the same triples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol

from rdflib import Graph, Literal, URIRef

from kg.mapping.iri import IriMinter
from kg.mapping.vocab import (
    CKG,
    DCTERMS,
    ITSRDF,
    NIF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    bind_prefixes,
)
from kg.model import (
    Agreement,
    ClusterLink,
    ClusterRole,
    DateKind,
    DateValue,
    Document,
    Entity,
    Event,
    Extraction,
    Kind,
    Post,
    Span,
)
from kg.vocab import ENTITY_CLASSES

# the rdf:types of an entity of each kind (kg.vocab: a company is also a ckg:Organization)
CLASSES: dict[Kind, tuple[URIRef, ...]] = {c.kind: tuple(URIRef(t) for t in c.types) for c in ENTITY_CLASSES}

ROLE_PROPERTY = {
    ClusterRole.MEMBER: ORG.hasMember,
    ClusterRole.INITIATOR: CKG.initiatedBy,
    ClusterRole.ANCHOR: CKG.basedOn,
}

DATATYPE = {
    DateKind.DATE: XSD.date,
    DateKind.YEAR_MONTH: XSD.gYearMonth,
    DateKind.YEAR: XSD.gYear,
    DateKind.MONTH_DAY: XSD.gMonthDay,
}

WIKIDATA = "http://www.wikidata.org/entity/"


def content_hash(doc: Document) -> str:
    """SHA-256 of everything in a record that the graph depends on."""
    parts = (doc.id, doc.text, doc.date or "", doc.title or "", doc.url or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def document_date(raw: str) -> DateValue | None:
    """The DateValue of an ISO 8601 record date: ``2024-09-18``, ``2024-09`` or ``2024``."""
    kinds = {10: DateKind.DATE, 7: DateKind.YEAR_MONTH, 4: DateKind.YEAR}
    kind = kinds.get(len(raw))
    return DateValue(raw, kind) if kind else None


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


class Resolved(Protocol):
    """What cross-document resolution says of a node (``kg.resolve.Canonical``)."""

    @property
    def iri(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def wikidata(self) -> str | None: ...


class Resolution(Protocol):
    """Node IRI -> its canonical form, or None when the document writes what it read."""

    def get(self, iri: str) -> Resolved | None: ...


class _Mapper:
    """Maps one Extraction to triples, passed to ``add``; holds the lookups for one document.

    With a ``resolution`` (``kg.resolve``), an entity that is one real entity with
    entities of other documents is written as its canonical node: the canonical IRI
    and label, the names read here as ``skos:altLabel``, its Wikidata link.
    """

    def __init__(self, extraction: Extraction, minter: IriMinter, terms: Terms,
                 add: Callable[[Any, Any, Any], object], resolution: Resolution | None = None) -> None:
        self.x = extraction
        self.doc = extraction.document
        self.minter = minter
        self.t = terms
        self.add = add
        self.doc_iri = terms.iri(minter.document(self.doc.id))
        self.by_id: dict[str, Entity] = {e.id: e for e in extraction.entities}
        self.resolved: dict[str, Resolved] = {}
        if resolution is not None:
            for e in extraction.entities:
                found = resolution.get(minter.entity(e.kind, e.key))
                if found is not None:
                    self.resolved[e.id] = found
        self.iris: dict[str, Any] = {
            e.id: terms.iri(self.resolved[e.id].iri if e.id in self.resolved else minter.entity(e.kind, e.key))
            for e in extraction.entities
        }

    def label(self, entity: Entity) -> str:
        """The label of the entity's node: the canonical one when it was resolved."""
        found = self.resolved.get(entity.id)
        return found.label if found is not None else entity.label

    def key(self, entity: Entity) -> str:
        """The key of the entity's node: the canonical one when it was resolved."""
        found = self.resolved.get(entity.id)
        return found.key if found is not None else entity.key

    def run(self, digest: str) -> None:
        self.document(digest)
        for entity in self.x.entities:
            self.entity(entity)
        for fact in self.x.facts:
            if isinstance(fact, Post):
                self.post(fact)
            elif isinstance(fact, ClusterLink):
                self.add(self.iris[fact.cluster], ROLE_PROPERTY[fact.role], self.iris[fact.target])
            elif isinstance(fact, Agreement):
                self.agreement(fact)
            elif isinstance(fact, Event):
                self.event(fact)

    def document(self, digest: str) -> None:
        doc, d, t = self.doc, self.doc_iri, self.t
        self.add(d, RDF.type, CKG.Document)
        self.add(d, RDF.type, NIF.Context)
        self.add(d, NIF.isString, t.plain(doc.text))
        self.add(d, NIF.beginIndex, t.typed(0, XSD.nonNegativeInteger))
        self.add(d, NIF.endIndex, t.typed(len(doc.text), XSD.nonNegativeInteger))
        self.add(d, DCTERMS.identifier, t.plain(doc.id))
        self.add(d, CKG.contentHash, t.plain(digest))
        date = document_date(doc.date) if doc.date else None
        if date:
            self.add(d, DCTERMS.date, self.date(date))
        if doc.title:
            self.add(d, DCTERMS.title, t.plain(doc.title))
        if doc.url:
            self.add(d, DCTERMS.source, t.iri(doc.url) if _is_iri(doc.url) else t.plain(doc.url))

    def date(self, value: DateValue) -> Any:
        return self.t.typed(value.value, DATATYPE[value.kind])

    def mention(self, span: Span, target: Any) -> None:
        t = self.t
        m = t.iri(self.minter.mention(self.doc.id, span.start, span.stop))
        self.add(m, RDF.type, NIF.Phrase)
        self.add(m, NIF.referenceContext, self.doc_iri)
        self.add(m, NIF.beginIndex, t.typed(span.start, XSD.nonNegativeInteger))
        self.add(m, NIF.endIndex, t.typed(span.stop, XSD.nonNegativeInteger))
        self.add(m, NIF.anchorOf, t.plain(span.text))
        self.add(m, ITSRDF.taIdentRef, target)

    def entity(self, e: Entity) -> None:
        node, t = self.iris[e.id], self.t
        found = self.resolved.get(e.id)
        label = found.label if found is not None else e.label
        for cls in CLASSES[e.kind]:
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, t.lang(label, "ru"))
        for alt in (e.label, *e.alt_labels):
            if alt != label:
                self.add(node, SKOS.altLabel, t.lang(alt, "ru"))
        if e.legal_form:
            self.add(node, CKG.legalForm, t.plain(e.legal_form))
        if e.iso_code:
            self.add(node, CKG.isoCode, t.plain(e.iso_code))
        wikidata = found.wikidata if found is not None and found.wikidata else e.wikidata
        if wikidata:
            self.add(node, OWL.sameAs, t.iri(WIKIDATA + wikidata))
        if e.located_in and e.located_in in self.iris:
            self.add(node, CKG.locatedIn, self.iris[e.located_in])
        for sector in e.sectors:
            if sector in self.iris:
                self.add(node, CKG.sector, self.iris[sector])
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)
        for span in e.mentions:
            self.mention(span, node)

    def post(self, p: Post) -> None:
        holder = self.by_id[p.holder]
        post_in = self.by_id[p.post_in] if p.post_in else None
        node = self.t.iri(self.minter.post(self.key(holder), p.title, self.key(post_in) if post_in else None))
        self.add(node, RDF.type, ORG.Post)
        self.add(node, ORG.heldBy, self.iris[p.holder])
        self.add(self.iris[p.holder], ORG.holds, node)
        self.add(node, CKG.title, self.t.lang(p.title, "ru"))
        if p.post_in:
            self.add(node, ORG.postIn, self.iris[p.post_in])
        where = f", {self.label(post_in)}" if post_in else ""
        self.add(node, RDFS.label, self.t.lang(f"{p.title}{where}: {self.label(holder)}", "ru"))
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)
        self.mention(p.evidence, node)

    def fact_node(self, kind: str, f: Agreement | Event) -> Any:
        node = self.t.iri(self.minter.fact(kind, self.doc.id, f.evidence.start, f.type))
        for about in f.about:
            self.add(node, CKG.about, self.iris[about])
        if f.date:
            self.add(node, DCTERMS.date, self.date(f.date))
        if f.place:
            self.add(node, CKG.locatedIn, self.iris[f.place])
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)
        self.mention(f.evidence, node)
        return node

    def agreement(self, a: Agreement) -> None:
        node = self.fact_node("agreement", a)
        self.add(node, RDF.type, CKG.Agreement)
        self.add(node, CKG.agreementType, self.t.lang(a.type, "ru"))
        for prop, ids in ((CKG.party, a.parties), (CKG.signatory, a.signatories),
                          (CKG.witness, a.witnesses)):
            for entity_id in ids:
                self.add(node, prop, self.iris[entity_id])
        names = ", ".join(self.label(self.by_id[i]) for i in a.parties)
        self.add(node, RDFS.label, self.t.lang(f"{a.type}: {names}" if names else a.type, "ru"))

    def event(self, e: Event) -> None:
        node = self.fact_node("event", e)
        self.add(node, RDF.type, CKG.Event)
        self.add(node, CKG.eventType, self.t.lang(e.type, "ru"))
        for entity_id in e.participants:
            self.add(node, CKG.participant, self.iris[entity_id])
        self.add(node, RDFS.label, self.t.lang(e.label or e.type, "ru"))


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


def to_graph(extraction: Extraction, minter: IriMinter | None = None,
             resolution: Resolution | None = None) -> Graph:
    """The RDF graph of one document: the document, its entities, facts and mentions."""
    graph = Graph()
    bind_prefixes(graph)
    add = graph.add
    _Mapper(extraction, minter or IriMinter(), RdflibTerms(),
            lambda s, p, o: add((s, p, o)), resolution).run(content_hash(extraction.document))
    return graph
