"""Extraction -> rdflib.Graph of one document (the document's named graph)."""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

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

CLASSES: dict[Kind, tuple[URIRef, ...]] = {
    Kind.CLUSTER: (CKG.Cluster,),
    Kind.ORGANIZATION: (CKG.Organization,),
    Kind.COMPANY: (CKG.Company, CKG.Organization),
    Kind.AUTHORITY: (CKG.Authority, CKG.Organization),
    Kind.PERSON: (CKG.Person,),
    Kind.REGION: (CKG.Region,),
    Kind.SETTLEMENT: (CKG.Settlement,),
    Kind.COUNTRY: (CKG.Country,),
    Kind.SECTOR: (CKG.Sector,),
}

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


def date_literal(value: DateValue) -> Literal:
    return Literal(value.value, datatype=DATATYPE[value.kind])


def document_date(raw: str) -> DateValue | None:
    """The DateValue of an ISO 8601 record date: ``2024-09-18``, ``2024-09`` or ``2024``."""
    kinds = {10: DateKind.DATE, 7: DateKind.YEAR_MONTH, 4: DateKind.YEAR}
    kind = kinds.get(len(raw))
    return DateValue(raw, kind) if kind else None


class _Mapper:
    """Adds one Extraction to a Graph; holds the lookups for one document."""

    def __init__(self, extraction: Extraction, minter: IriMinter, graph: Graph) -> None:
        self.x = extraction
        self.doc = extraction.document
        self.minter = minter
        self.g = graph
        self.doc_iri = URIRef(minter.document(self.doc.id))
        self.by_id: dict[str, Entity] = {e.id: e for e in extraction.entities}
        self.iris: dict[str, URIRef] = {
            e.id: URIRef(minter.entity(e.kind, e.key)) for e in extraction.entities
        }

    def add(self, s: Node, p: Node, o: Node) -> None:
        self.g.add((s, p, o))

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
        doc, d = self.doc, self.doc_iri
        self.add(d, RDF.type, CKG.Document)
        self.add(d, RDF.type, NIF.Context)
        self.add(d, NIF.isString, Literal(doc.text))
        self.add(d, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger))
        self.add(d, NIF.endIndex, Literal(len(doc.text), datatype=XSD.nonNegativeInteger))
        self.add(d, DCTERMS.identifier, Literal(doc.id))
        self.add(d, CKG.contentHash, Literal(digest))
        date = document_date(doc.date) if doc.date else None
        if date:
            self.add(d, DCTERMS.date, date_literal(date))
        if doc.title:
            self.add(d, DCTERMS.title, Literal(doc.title))
        if doc.url:
            self.add(d, DCTERMS.source, URIRef(doc.url) if _is_iri(doc.url) else Literal(doc.url))

    def mention(self, span: Span, target: URIRef) -> None:
        m = URIRef(self.minter.mention(self.doc.id, span.start, span.stop))
        self.add(m, RDF.type, NIF.Phrase)
        self.add(m, NIF.referenceContext, self.doc_iri)
        self.add(m, NIF.beginIndex, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(m, NIF.endIndex, Literal(span.stop, datatype=XSD.nonNegativeInteger))
        self.add(m, NIF.anchorOf, Literal(span.text))
        self.add(m, ITSRDF.taIdentRef, target)

    def entity(self, e: Entity) -> None:
        node = self.iris[e.id]
        for cls in CLASSES[e.kind]:
            self.add(node, RDF.type, cls)
        self.add(node, RDFS.label, Literal(e.label, lang="ru"))
        for alt in e.alt_labels:
            if alt != e.label:
                self.add(node, SKOS.altLabel, Literal(alt, lang="ru"))
        if e.legal_form:
            self.add(node, CKG.legalForm, Literal(e.legal_form))
        if e.iso_code:
            self.add(node, CKG.isoCode, Literal(e.iso_code))
        if e.wikidata:
            self.add(node, OWL.sameAs, URIRef(WIKIDATA + e.wikidata))
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
        node = URIRef(self.minter.post(holder.key, p.title, post_in.key if post_in else None))
        self.add(node, RDF.type, ORG.Post)
        self.add(node, ORG.heldBy, self.iris[p.holder])
        self.add(self.iris[p.holder], ORG.holds, node)
        self.add(node, CKG.title, Literal(p.title, lang="ru"))
        if p.post_in:
            self.add(node, ORG.postIn, self.iris[p.post_in])
        where = f", {post_in.label}" if post_in else ""
        self.add(node, RDFS.label, Literal(f"{p.title}{where}: {holder.label}", lang="ru"))
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)
        self.mention(p.evidence, node)

    def fact_node(self, kind: str, f: Agreement | Event) -> URIRef:
        node = URIRef(self.minter.fact(kind, self.doc.id, f.evidence.start, f.type))
        for about in f.about:
            self.add(node, CKG.about, self.iris[about])
        if f.date:
            self.add(node, DCTERMS.date, date_literal(f.date))
        if f.place:
            self.add(node, CKG.locatedIn, self.iris[f.place])
        self.add(node, PROV.wasDerivedFrom, self.doc_iri)
        self.mention(f.evidence, node)
        return node

    def agreement(self, a: Agreement) -> None:
        node = self.fact_node("agreement", a)
        self.add(node, RDF.type, CKG.Agreement)
        self.add(node, CKG.agreementType, Literal(a.type, lang="ru"))
        for prop, ids in ((CKG.party, a.parties), (CKG.signatory, a.signatories),
                          (CKG.witness, a.witnesses)):
            for entity_id in ids:
                self.add(node, prop, self.iris[entity_id])
        names = ", ".join(self.by_id[i].label for i in a.parties)
        self.add(node, RDFS.label, Literal(f"{a.type}: {names}" if names else a.type, lang="ru"))

    def event(self, e: Event) -> None:
        node = self.fact_node("event", e)
        self.add(node, RDF.type, CKG.Event)
        self.add(node, CKG.eventType, Literal(e.type, lang="ru"))
        for entity_id in e.participants:
            self.add(node, CKG.participant, self.iris[entity_id])
        self.add(node, RDFS.label, Literal(e.label or e.type, lang="ru"))


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
    _Mapper(extraction, minter or IriMinter(), graph).run(content_hash(extraction.document))
    return graph
