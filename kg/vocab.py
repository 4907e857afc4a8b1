"""The vocabulary kg writes, spelled once: its namespaces and the table of entity classes.

Plain strings and dataclasses (no rdflib), so that every package can read it:
``kg.mapping.vocab`` builds its closed rdflib namespace ``CKG`` on ``CKG_NS``;
``kg.mapping`` types entities by ``ENTITY_CLASSES``; ``kg.api`` counts entities by
class IRI; ``kg.viz`` draws them by the same table (fact types bring their own node
classes and relations: ``kg.facts``). tests/test_vocab.py checks the table against
``ontology/cluster-kg.ttl`` and ``ontology/shapes.ttl``.

>>> ENTITY_CLASS[Kind.COMPANY].types
('https://w3id.org/cluster-kg/ontology#Company', 'https://w3id.org/cluster-kg/ontology#Organization')
>>> [c.name for c in most_specific_first(ENTITY_CLASSES)][:5]
['Cluster', 'Company', 'Authority', 'Organization', 'Person']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kg.model import Kind

CKG_NS = "https://w3id.org/cluster-kg/ontology#"  # the published vocabulary (ontology/cluster-kg.ttl)
ONTOLOGY_IRI = CKG_NS.rstrip("#")  # the owl:Ontology itself
ORG_NS = "http://www.w3.org/ns/org#"
FOAF_NS = "http://xmlns.com/foaf/0.1/"
SCHEMA_NS = "https://schema.org/"
PROV_NS = "http://www.w3.org/ns/prov#"
DCTERMS_NS = "http://purl.org/dc/terms/"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
NIF_NS = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITSRDF_NS = "http://www.w3.org/2005/11/its/rdf#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"

# The prefixes of every file kg writes, in the order they are written.
PREFIXES: dict[str, str] = {
    "ckg": CKG_NS,
    "org": ORG_NS,
    "foaf": FOAF_NS,
    "schema": SCHEMA_NS,
    "prov": PROV_NS,
    "dcterms": DCTERMS_NS,
    "skos": SKOS_NS,
    "nif": NIF_NS,
    "itsrdf": ITSRDF_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
}

DEFAULT_BASE = "https://w3id.org/cluster-kg/id/"  # of the instance IRIs kg mints (``--base``)
CONTENT_HASH = CKG_NS + "contentHash"  # a document's SHA-256, for incremental builds
POST = ORG_NS + "Post"  # the class of posts (facts kept as nodes, drawn as edges)


@dataclass(frozen=True, slots=True)
class Style:
    """How the relationship view draws a node class: a vis-network shape, a colour, a legend glyph."""

    shape: str
    color: str
    glyph: str


@dataclass(frozen=True, slots=True)
class NodeClass:
    """A class whose instances are nodes of the relationship view.

    ``name`` is the class's local name (the ``cls`` of a view node); ``label`` its
    Russian name, the ontology's ``rdfs:label``@ru with a capital letter.
    """

    iri: str
    name: str
    label: str
    style: Style


@dataclass(frozen=True, slots=True)
class EntityClass(NodeClass):
    """An entity class: the ``Kind`` it types, every ``rdf:type`` written for it (its own class
    first, then the superclasses kg also states), the path segment of its IRIs
    (``kg.mapping.iri``: organisation kinds share one, so one organisation read as two kinds
    is one node), and whether the view's legend lists it after the facts (places and sectors:
    what facts happen in or are about)."""

    kind: Kind
    types: tuple[str, ...]
    group: str
    context: bool = False


def _entity(kind: Kind, name: str, label: str, style: Style, group: str, *supers: str,
            context: bool = False) -> EntityClass:
    iri = CKG_NS + name
    return EntityClass(iri, name, label, style, kind, (iri, *(CKG_NS + s for s in supers)), group, context)


# In the order of the view's legend.
ENTITY_CLASSES: tuple[EntityClass, ...] = (
    _entity(Kind.CLUSTER, "Cluster", "Кластер", Style("star", "#d62728", "★"), "cluster"),
    _entity(Kind.COMPANY, "Company", "Компания", Style("dot", "#1f6fd1", "●"), "org", "Organization"),
    _entity(Kind.ORGANIZATION, "Organization", "Организация", Style("square", "#8c564b", "■"), "org"),
    _entity(Kind.AUTHORITY, "Authority", "Орган власти", Style("square", "#8e44ad", "■"), "org", "Organization"),
    _entity(Kind.PERSON, "Person", "Персона", Style("dot", "#2ca02c", "●"), "person"),
    _entity(Kind.REGION, "Region", "Регион", Style("hexagon", "#ff7f0e", "⬢"), "region", context=True),
    _entity(Kind.SETTLEMENT, "Settlement", "Населённый пункт", Style("hexagon", "#b8a800", "⬢"), "place",
            context=True),
    _entity(Kind.COUNTRY, "Country", "Страна", Style("hexagon", "#7f7f7f", "⬢"), "country", context=True),
    _entity(Kind.SECTOR, "Sector", "Отрасль", Style("triangle", "#6b8e23", "▲"), "sector", context=True),
)
ENTITY_CLASS: dict[Kind, EntityClass] = {c.kind: c for c in ENTITY_CLASSES}
ENTITY_CLASS_BY_IRI: dict[str, EntityClass] = {c.iri: c for c in ENTITY_CLASSES}



@dataclass(frozen=True, slots=True)
class Relation:
    """An edge the view draws: its predicate IRI, its key (the predicate's local name) and its Russian label."""

    predicate: str
    name: str
    label: str


# Relations of entities themselves (fact types declare theirs: ``FactType.relations``).
ENTITY_RELATIONS: tuple[Relation, ...] = (
    Relation(CKG_NS + "locatedIn", "locatedIn", "находится в"),
    Relation(CKG_NS + "sector", "sector", "отрасль"),
)


def most_specific_first(classes: Iterable[NodeClass]) -> tuple[NodeClass, ...]:
    """``classes`` with each one moved before its superclasses: the first of them that a node
    is typed with is its most specific class (a company is also a ckg:Organization)."""
    out: list[NodeClass] = []
    for cls in classes:
        supers = cls.types[1:] if isinstance(cls, EntityClass) else ()
        at = next((i for i, placed in enumerate(out) if placed.iri in supers), len(out))
        out.insert(at, cls)
    return tuple(out)
