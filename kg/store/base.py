"""``Store``: what kg's pipeline needs of a store; ``OxigraphStore`` is the one it has.

Documents are named graphs; the default graph is their union (a set). A build writes
through one path, ``replace_documents_nquads``; reads are SPARQL with typed answers
(``select``, ``construct``, or ``query`` for any form) and dumps. ``kg.sparql``'s
``QueryTarget`` (``run``) is how named queries reach a store or a remote endpoint.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Protocol

import pyoxigraph as ox
from rdflib import Graph

from kg.sparql.catalog import NamedQuery
from kg.sparql.run import OxResult, OxTerm, Result
from kg.sparql.terms import Term


class Store(Protocol):
    """A store of documents (one named graph each) with their union as the default graph."""

    def replace_documents_nquads(self, batch: Iterable[tuple[str, bytes]]) -> None:
        """Write documents, each given as the N-Quads of its graph; each is written whole or not at all."""

    def remove_document(self, graph_iri: str) -> bool:
        """Drop a document's graph (and what only it stated); False when there was none."""

    def remove_incomplete(self) -> list[str]:
        """Drop the graphs an interrupted write left; return their names."""

    def flush(self) -> None: ...

    def documents(self) -> list[str]:
        """The document graphs' names, sorted."""

    def content_hashes(self) -> dict[str, str]:
        """Graph name -> content hash of the document it holds."""

    def iter_content_hashes(self) -> Iterator[tuple[str, str]]:
        """(graph name, content hash) of every document, as a stream."""

    def content_hashes_of(self, graphs: Iterable[str]) -> dict[str, str]:
        """Graph name -> content hash, of those of ``graphs`` the store holds."""

    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, OxTerm] | None = None,
              prefixes: Mapping[str, str] | None = None) -> OxResult: ...

    def select(self, sparql: str) -> ox.QuerySolutions: ...

    def construct(self, sparql: str) -> ox.QueryTriples: ...

    def run(self, query: NamedQuery, terms: Mapping[str, Term]) -> Result: ...

    def to_rdflib(self) -> Graph:
        """The union graph as an rdflib Graph (for pySHACL)."""

    def dump(self, output: IO[bytes] | str | os.PathLike[str], fmt: str, prefixes: dict[str, str]) -> None:
        """Write the union graph (graph formats) or every document graph (TriG, N-Quads)."""
