"""Counts over a workspace's union graph: per class, per property, facts and entities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import kg.facts
from kg.sparql.run import value
from kg.vocab import ENTITY_CLASS_BY_IRI

if TYPE_CHECKING:
    from kg.store.base import Store
    from kg.viz.analytics import Analytics

CLASS_QUERY = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PROPERTY_QUERY = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p
"""


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over a workspace's union graph; ``network``: its analytics, when asked for (``kg stats``)."""

    documents: int
    triples: int
    classes: dict[str, int]
    properties: dict[str, int]
    network: Analytics | None = None

    @property
    def facts(self) -> int:
        """Instances of the fact classes (posts, agreements, events: ``kg.facts``)."""
        fact_classes = kg.facts.class_iris(kg.facts.FACTS)
        return sum(n for c, n in self.classes.items() if c in fact_classes)

    @property
    def entities(self) -> dict[str, int]:
        """Instances of each entity class, by the class's local name (``Company``), most first."""
        return {ENTITY_CLASS_BY_IRI[c].name: n for c, n in self.classes.items() if c in ENTITY_CLASS_BY_IRI}


def store_stats(store: Store) -> Stats:
    """The counts of ``store``'s union graph."""
    classes = {value(s["class"]): int(value(s["n"])) for s in store.select(CLASS_QUERY)}
    properties = {value(s["p"]): int(value(s["n"])) for s in store.select(PROPERTY_QUERY)}
    # every triple of the union graph has one predicate: the per-property counts sum to the triples
    return Stats(len(store.documents()), sum(properties.values()), classes, properties)
