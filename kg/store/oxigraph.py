"""The embedded Oxigraph store: one named graph per document, the union as default graph."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError

CONTENT_HASH = "https://w3id.org/cluster-kg/ontology#contentHash"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"trig", "nq"}


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
    raise StoreError(f"cannot store RDF term {term!r}")


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1 simple literal: rdflib's Literal("x")
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class OxigraphStore:
    """A workspace's store. ``path=None`` keeps it in memory (tests, notebooks)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreError(
                f"{path}: cannot open the store ({exc}); if it is damaged, move it away "
                "and run `kg build` again"
            ) from exc

    # -- writing -----------------------------------------------------------------
    def replace_document(self, graph_iri: str, graph: Graph) -> None:
        """Replace the named graph ``graph_iri`` by ``graph`` in one transaction."""
        name = ox.NamedNode(graph_iri)
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph]  # type: ignore[arg-type]
        self.replace_documents([(name, quads)])

    def replace_documents(self, batch: Iterable[tuple[ox.NamedNode, list[ox.Quad]]]) -> None:
        """Replace several named graphs (a batch of documents) in ONE transaction.

        Each graph is dropped and its new quads (content hash included) inserted
        by a single SPARQL update, which Oxigraph applies atomically: a crash
        leaves the batch's documents all old or all new, never half written.
        Only the triples of each quad are used; the graph is the given name.
        """
        self._replace([
            (str(name), " ".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads))
            for name, quads in batch
        ])

    def replace_documents_nquads(self, batch: Iterable[tuple[str, bytes]]) -> None:
        """``replace_documents`` from each graph's N-Quads, as ``pyoxigraph.serialize`` writes them.

        The N-Quads are not parsed (pyoxigraph's parser refuses a line over 16 MiB,
        e.g. a document of ten million Cyrillic characters): each line, every one
        in the document's graph, loses its graph term and goes into the update.
        """
        parts = []
        for graph_iri, nquads in batch:
            name = str(ox.NamedNode(graph_iri))
            suffix = f" {name} ."
            triples = []
            for line in nquads.decode("utf-8").split("\n"):
                if not line:
                    continue
                if not line.endswith(suffix):
                    raise StoreError(f"{graph_iri}: a quad outside the document's graph: {line[:200]}")
                triples.append(line[: -len(suffix)] + " .")
            parts.append((name, " ".join(triples)))
        self._replace(parts)

    def _replace(self, graphs: list[tuple[str, str]]) -> None:
        """One SPARQL update: DROP each graph ``<name>``, INSERT DATA its triples (text)."""
        if not graphs:
            return
        drops = " ;\n".join(f"DROP SILENT GRAPH {name}" for name, _ in graphs)
        inserts = "\n".join(f"GRAPH {name} {{ {body} }}" for name, body in graphs)
        try:
            self._store.update(f"{drops} ;\nINSERT DATA {{\n{inserts}\n}}")
        except (OSError, RuntimeError, SyntaxError) as exc:
            where = self.path or "<memory>"
            raise StoreError(f"{where}: cannot write {len(graphs)} documents: {exc}") from exc

    def remove_incomplete(self) -> list[str]:
        """Drop every named graph without a content hash; return their names.

        The content hash is written with (or, by a non-transactional bulk
        write, after) a document's other quads, so a graph without one is a
        write that was interrupted: it is removed and the document redone.
        """
        complete = set(self.content_hashes())
        incomplete = [g for g in self.documents() if g not in complete]
        for graph in incomplete:
            self._store.remove_graph(ox.NamedNode(graph))
        return incomplete

    def remove_document(self, graph_iri: str) -> bool:
        name = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(name):
            return False
        self._store.remove_graph(name)
        return True

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # -- reading -----------------------------------------------------------------
    def content_hashes(self) -> dict[str, str]:
        """Named graph IRI -> content hash of the document it holds."""
        rows = self._store.quads_for_pattern(None, ox.NamedNode(CONTENT_HASH), None, None)
        return {
            q.graph_name.value: q.object.value
            for q in rows
            if isinstance(q.graph_name, ox.NamedNode) and isinstance(q.object, ox.Literal)
        }

    def documents(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run SPARQL with the union of all document graphs as the default graph."""
        return self._store.query(sparql, use_default_graph_as_union=True, **kwargs)  # type: ignore[arg-type]

    def triples(self) -> Iterator[ox.Triple]:
        """The union graph: every distinct triple of every document."""
        result = self._store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        assert isinstance(result, ox.QueryTriples)
        yield from result

    def quads(self) -> Iterator[ox.Quad]:
        yield from self._store.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return len(self._store)

    def to_rdflib(self) -> Graph:
        """The union graph as an rdflib Graph (for pySHACL and small exports)."""
        graph = Graph()
        for t in self.triples():
            graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))  # type: ignore[arg-type]
        return graph

    def dump(self, output: IO[bytes] | str | os.PathLike[str], fmt: str, prefixes: dict[str, str]) -> None:
        """Write the union (graph formats) or every named graph (dataset formats)."""
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        rdf_format = FORMATS[fmt]
        data: Iterable[ox.Triple] | Iterable[ox.Quad]
        data = self.quads() if fmt in DATASET_FORMATS else self.triples()
        ox.serialize(data, output, rdf_format, prefixes=prefixes)


def open_store(workspace: Path, *, read_only: bool = False) -> OxigraphStore:
    """The store of a workspace directory (``workspace/store``)."""
    path = workspace / "store"
    if read_only and not path.exists():
        raise StoreError(f"{workspace}: no store here; run `kg build INPUT -w {workspace}` first")
    return OxigraphStore(path, read_only=read_only)
