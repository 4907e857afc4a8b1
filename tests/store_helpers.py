"""Ways of filling an OxigraphStore that only tests need, all through its one write path
(``replace_documents_nquads``), so tests see the store exactly as ``kg build`` leaves it."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.store.oxigraph import FORMATS, OxigraphStore


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert RDF term {term!r}")


def replace_documents(store: OxigraphStore, batch: Iterable[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
    """Replace named graphs by the triples of ``quads`` (each put in its graph ``name``)."""
    store.replace_documents_nquads([
        (name.value, ox.serialize((ox.Quad(q.subject, q.predicate, q.object, name) for q in quads),
                                  format=ox.RdfFormat.N_QUADS) or b"")
        for name, quads in batch
    ])


def replace_document(store: OxigraphStore, graph_iri: str, graph: Graph) -> None:
    """Replace the named graph ``graph_iri`` by an rdflib ``graph``."""
    name = ox.NamedNode(graph_iri)
    replace_documents(store, [(name, [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph])])  # type: ignore[arg-type]


def add_quads(store: OxigraphStore, quads: Iterable[ox.Quad]) -> None:
    """Add quads to the documents (named graphs) they are in; default-graph quads are left out."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad)
    for quad in store.quads():  # a document already stored keeps what it had
        if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value in graphs:
            graphs[quad.graph_name.value].insert(0, quad)
    replace_documents(store, [(ox.NamedNode(name), found) for name, found in graphs.items()])


def load_dataset(store: OxigraphStore, data: bytes | str | None = None, *, path: str | None = None,
                 fmt: str = "trig") -> None:
    """Write the named graphs of a TriG/N-Quads text or file as documents."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    add_quads(store, ox.parse(data, format=FORMATS[fmt], path=path))
