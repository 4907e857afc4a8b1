"""What agreements and events share: a node per fact read at one place of one document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.facts.spec import FactGraph
from kg.mapping.vocab import CKG, DCTERMS, PROV
from kg.model import Agreement, DateKind, DateValue, Event


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
    g.mention(fact.evidence, node)
    return node


def keep_known(ids: Iterable[str], known: frozenset[str]) -> tuple[str, ...]:
    """``ids`` that are in ``known``, in order."""
    return tuple(x for x in ids if x in known)
