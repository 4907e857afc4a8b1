"""What fact types share: a node per agreement or event read at one place of one document, and
the reading of a fact (its rule and confidence) stated on its node."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.facts.spec import FactGraph
from kg.mapping.vocab import CKG, DCTERMS, PROV, RDF, XSD
from kg.model import Agreement, ClusterLink, DateKind, DateValue, Event, Post

if TYPE_CHECKING:
    from kg.facts.founding import Founding


def fact_node(g: FactGraph, kind: str, fact: Agreement | Event) -> Any:
    """``{base}{kind}/{slug}-{hash}`` of (document, evidence start, type), with the fact's topics
    (``ckg:about``), date, place, source document and its mention; returns the node."""
    node = g.t.iri(g.minter.fact(kind, g.doc.id, fact.evidence.start, fact.type))
    for about in fact.about:
        g.add(node, CKG.about, g.iris[about])
    if fact.date:
        g.add(node, DCTERMS.date, g.date(fact.date))
        if fact.date.stated:  # the year is kg's (from the document's date): say what the text gave
            g.add(node, CKG.statedDate, g.date(DateValue(fact.date.stated, DateKind.MONTH_DAY)))
    if fact.place:
        g.add(node, CKG.locatedIn, g.iris[fact.place])
    g.add(node, PROV.wasDerivedFrom, g.doc_iri)
    reading(g, node, fact)
    g.mention(fact.evidence, node)
    return node


def statement(g: FactGraph, node: Any, subject: Any, predicate: Any, obj: Any) -> None:
    """``node`` as the ``rdf:Statement`` of the triple (subject, predicate, object), read from
    the document (``prov:wasDerivedFrom``): the node a fact's reading is stated on."""
    g.add(node, RDF.type, RDF.Statement)
    g.add(node, RDF.subject, subject)
    g.add(node, RDF.predicate, predicate)
    g.add(node, RDF.object, obj)
    g.add(node, PROV.wasDerivedFrom, g.doc_iri)


def reading(g: FactGraph, node: Any, fact: Post | ClusterLink | Agreement | Event | Founding) -> None:
    """The rule that read a fact (``ckg:extractedBy``) and its confidence (``ckg:confidence``), on
    the fact's node (per document: the node's statements about its reading live in the
    document's named graph)."""
    if fact.rule:
        g.add(node, CKG.extractedBy, g.t.plain(fact.rule))
    if fact.confidence is not None:
        g.add(node, CKG.confidence, g.t.typed(f"{fact.confidence:.2f}", XSD.decimal))


def keep_known(ids: Iterable[str], known: frozenset[str]) -> tuple[str, ...]:
    """``ids`` that are in ``known``, in order."""
    return tuple(x for x in ids if x in known)
