"""The fact types kg reads, one module each, and ``FACTS``, the list every stage loops over.

To add a fact type, write its module (its dataclass, readers, triples, view and evaluation
hooks: ``kg.facts.spec.FactType``) and list it here; docs/ARCHITECTURE.md walks through it.

>>> [fact.name for fact in FACTS]
['post', 'cluster_link', 'agreement', 'deal', 'event', 'management', 'founding']
>>> [(fact.name, reader.needs) for fact, reader in reading_order(FACTS)][3:5]
[('deal', ('agreement',)), ('cluster_link', ('post', 'agreement', 'deal'))]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.facts.agreement import AGREEMENTS
from kg.facts.cluster_link import CLUSTER_LINKS
from kg.facts.deal import DEALS
from kg.facts.event import EVENTS
from kg.facts.founding import FOUNDINGS
from kg.facts.management import MANAGEMENT
from kg.facts.post import POSTS
from kg.facts.spec import FactType, reading_order
from kg.vocab import ENTITY_CLASSES, ENTITY_RELATIONS, NodeClass, Relation

__all__ = ["FACTS", "FactType", "by_class", "class_iris", "drawn_classes", "drawn_relations", "node_classes",
           "reading_order"]

# In the order an Extraction lists its facts (readers run in ``reading_order``).
FACTS: tuple[FactType[Any], ...] = (POSTS, CLUSTER_LINKS, AGREEMENTS, DEALS, EVENTS, MANAGEMENT, FOUNDINGS)


def by_class(types: Sequence[FactType[Any]] = FACTS) -> dict[type, FactType[Any]]:
    """Dataclass -> the first fact type of ``types`` with it: the one that keeps, maps and scores its facts."""
    found: dict[type, FactType[Any]] = {}
    for fact_type in types:
        found.setdefault(fact_type.cls, fact_type)
    return found


def class_iris(types: Sequence[FactType[Any]] = FACTS) -> frozenset[str]:
    """The classes of fact nodes (org:Post, ckg:Agreement, ckg:Event)."""
    return frozenset(t.class_iri for t in types if t.class_iri)


def node_classes(types: Sequence[FactType[Any]] = FACTS) -> tuple[NodeClass, ...]:
    """The classes of facts drawn as nodes, each once."""
    return tuple(dict.fromkeys(t.node_class for t in types if t.node_class))


def drawn_classes(types: Sequence[FactType[Any]] = FACTS) -> tuple[NodeClass, ...]:
    """Every class the view draws as a node, in the order of its legend: the entities that act
    (clusters, organisations, people), the facts drawn as nodes, then places and sectors."""
    return (*(c for c in ENTITY_CLASSES if not c.context), *node_classes(types),
            *(c for c in ENTITY_CLASSES if c.context))


def drawn_relations(types: Sequence[FactType[Any]] = FACTS) -> tuple[Relation, ...]:
    """Every relation the view draws as an edge, each predicate once, in the order it adds them:
    facts stated as an edge between entities (cluster links), the entities' own relations
    (``kg.vocab.ENTITY_RELATIONS``), then the edges of facts drawn as nodes."""
    found: dict[str, Relation] = {}
    between = [r for t in types if t.node_class is None for r in t.relations]
    from_nodes = [r for t in types if t.node_class is not None for r in t.relations]
    for relation in (*between, *ENTITY_RELATIONS, *from_nodes):
        found.setdefault(relation.predicate, relation)
    return tuple(found.values())
