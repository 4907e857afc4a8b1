"""Namespaces of the published vocabulary, and the ontology and shapes files.

``CKG`` is closed: it lists every term of ``ontology/cluster-kg.ttl`` (a test keeps
the two in step), so a typo fails at once instead of minting a new IRI:

>>> CKG.Person
rdflib.term.URIRef('https://w3id.org/cluster-kg/ontology#Person')
>>> CKG.Persn
Traceback (most recent call last):
  ...
AttributeError: term 'Persn' not in namespace 'https://w3id.org/cluster-kg/ontology#'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.plugins.parsers.notation3 import BadSyntax

from kg import vocab
from kg.errors import InputError
from kg.resources import ontology_dir

__all__ = [
    "CKG",
    "DCTERMS",
    "FOAF",
    "ITSRDF",
    "NIF",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "XSD",
    "bind_prefixes",
    "load_ontology",
    "load_shapes",
    "ontology_path",
    "shapes_path",
]

SCHEMA = SDO  # rdflib's schema.org namespace, https://schema.org/


class CKG(DefinedNamespace):
    """The kg vocabulary, ``ontology/cluster-kg.ttl``."""

    _NS = Namespace(vocab.CKG_NS)
    _fail = True

    # classes
    Cluster: URIRef
    Organization: URIRef
    Company: URIRef
    Authority: URIRef
    Person: URIRef
    Agreement: URIRef
    Event: URIRef
    Region: URIRef
    Settlement: URIRef
    Country: URIRef
    Sector: URIRef
    Document: URIRef

    # properties
    legalForm: URIRef
    locatedIn: URIRef
    isoCode: URIRef
    initiatedBy: URIRef
    basedOn: URIRef
    managedBy: URIRef
    sector: URIRef
    title: URIRef
    agreementType: URIRef
    party: URIRef
    signatory: URIRef
    witness: URIRef
    eventType: URIRef
    participant: URIRef
    about: URIRef
    contentHash: URIRef
    statedDate: URIRef
    extractedBy: URIRef
    confidence: URIRef
    evidence: URIRef
    foundingDate: URIRef


class NIF(DefinedNamespace):
    """NIF 2.0 Core: documents as contexts, mentions as phrases with offsets."""

    _NS = Namespace(vocab.NIF_NS)
    _fail = True

    Context: URIRef
    ContextCollection: URIRef
    OffsetBasedString: URIRef
    Paragraph: URIRef
    Phrase: URIRef
    RFC5147String: URIRef
    Sentence: URIRef
    String: URIRef
    Structure: URIRef
    Title: URIRef
    Word: URIRef

    anchorOf: URIRef
    beginIndex: URIRef
    broaderContext: URIRef
    endIndex: URIRef
    hasContext: URIRef
    isString: URIRef
    predLang: URIRef
    referenceContext: URIRef
    sentence: URIRef
    sourceUrl: URIRef


class ITSRDF(DefinedNamespace):
    """ITS 2.0 RDF: links from a mention to what it identifies."""

    _NS = Namespace(vocab.ITSRDF_NS)
    _fail = True

    taAnnotatorsRef: URIRef
    taClassRef: URIRef
    taConfidence: URIRef
    taIdentRef: URIRef
    taSource: URIRef


PREFIXES: dict[str, str] = vocab.PREFIXES  # tests/test_vocab.py checks them against rdflib's namespaces


def bind_prefixes(graph: Graph) -> None:
    """Bind every prefix of ``PREFIXES`` on ``graph``, replacing other bindings of the same prefix."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def ontology_path() -> Path:
    """Path of ``ontology/cluster-kg.ttl``, the published vocabulary (package data, ``kg.resources``)."""
    return ontology_dir() / "cluster-kg.ttl"


def shapes_path() -> Path:
    """Path of ``ontology/shapes.ttl``, the SHACL shapes (package data, ``kg.resources``)."""
    return ontology_dir() / "shapes.ttl"


def _load_turtle(path: Path) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except BadSyntax as exc:
        raise InputError(f"{path}:{exc.lines + 1}: {exc._why}") from exc
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    return graph


@cache
def load_ontology() -> Graph:
    """The ontology as a Graph, parsed once per process; treat it as read-only."""
    return _load_turtle(ontology_path())


@cache
def load_shapes() -> Graph:
    """The SHACL shapes as a Graph, parsed once per process; treat it as read-only."""
    return _load_turtle(shapes_path())
