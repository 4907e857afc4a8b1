"""The embedded Oxigraph store: one named graph per document, their union as the default graph.

The default graph is kept materialised, as a set: every triple of every document
graph, once. Oxigraph's ``use_default_graph_as_union`` is a bag (a triple stated by
k documents comes k times), which repeats rows in users' own queries and makes joins
explode; so every write updates the default graph in the same transaction, and a
triple leaves it only when no document graph states it any more.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.parallel import chunked
from kg.sparql.catalog import NamedQuery
from kg.sparql.guard import DEFAULT_LIMITS, Limits
from kg.sparql.run import OxResult, OxTerm, Result, run_local
from kg.sparql.terms import Term
from kg.vocab import CONTENT_HASH, XSD_NS
from kg.workspace import Workspace

XSD_STRING = XSD_NS + "string"

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"trig", "nq", "jsonld"}
NATIVE_GRAPH_DUMPS = {"turtle", "nt", "rdfxml"}  # Oxigraph dumps the default graph alone
# Documents with an N-Quads line (a quad: in practice the document's text literal) of this
# size are written by a SPARQL update instead of the bulk loader: pyoxigraph's N-Quads parser
# refuses a line over 16 MiB. A long document of short lines is bulk-loaded: parsing a SPARQL
# update takes memory many times its text (800,000 characters of news, 32 MB of N-Quads, took
# a build to 1.1 GiB that way).
BULK_MAX_LINE = 8 * 2**20
# Oxigraph's bulk loader cuts its input into batches of 1,000,000 quads
# (DEFAULT_BULK_LOAD_BATCH_SIZE in lib/oxigraph/src/storage) and ingests each batch's
# SST files with its own IngestExternalFiles call: only a load under that size is
# one atomic ingestion. kg keeps every bulk_load call below this many quads (lines).
BULK_MAX_QUADS = 900_000
# A document of more N-Quads bytes than this is bulk-loaded alone, in slices of about this
# size, its content hash last. Oxigraph's bulk loader holds about eight times the N-Quads it
# is given (parsed quads, their dictionary, the sorted index files): one 360 MB document took
# 1.8 GB above the store's own memory in one call, 75 MB in slices.
BULK_SLICE = 4 * 2**20
# graph.trig is dumped graph by graph; this many threads, each dumping this many graphs at a time.
TRIG_THREADS = 2
TRIG_GRAPHS_PER_TASK = 64


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term (the store's graph goes to pySHACL as rdflib)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise StoreError(f"cannot validate a quoted triple (RDF-star): {term}")
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
                _remove_unfinished_bulk_files(path)
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            raise StoreError(
                f"{path}: cannot open the store ({exc}); if it is damaged, move it away "
                "and run `kg build` again"
            ) from exc

    # -- writing -----------------------------------------------------------------
    def replace_documents_nquads(self, batch: Iterable[tuple[str, bytes]]) -> None:
        """Write a batch of documents, each given as the N-Quads of its graph (``pyoxigraph.serialize``).

        Every document is written whole or not at all, and the default graph stays
        the set union of the named graphs after each of the (at most two) writes:

        - documents without a graph yet: ONE ``Store.bulk_load`` of their quads and
          of the same triples in the default graph (a long document: several, its
          content hash last, ``_bulk_load_long``). Oxigraph's bulk loader sorts them
          into SST files, one per index, and ingests them all with a single RocksDB
          ``IngestExternalFiles`` call, which is atomic across column families
          (recorded in the MANIFEST at once; after a crash none is ingested). Adding
          a triple the default graph already holds changes nothing;
        - documents that have a graph: one SPARQL update (``_replace``) retracts the
          old graph's triples that no other graph states, drops it and inserts the
          new triples, all in one transaction.

        A document given twice keeps its last version. A document with a line of
        ``BULK_MAX_LINE`` bytes or more goes through the update, whose text is not
        split into lines (pyoxigraph's N-Quads parser refuses a line over 16 MiB,
        e.g. the text literal of ten million Cyrillic characters).
        """
        latest: dict[str, bytes] = {}
        for graph_iri, nquads in batch:
            name = str(ox.NamedNode(graph_iri))  # <iri>, checked
            if nquads and not nquads.endswith(b"\n"):
                nquads += b"\n"
            _check_in_graph(name, nquads)  # every document before anything is written
            latest[name] = nquads
        fresh: list[tuple[str, bytes]] = []
        update: list[tuple[str, bytes]] = []
        for name, nquads in latest.items():
            exists = self._store.contains_named_graph(ox.NamedNode(name[1:-1]))
            too_long = len(nquads) >= BULK_MAX_LINE and _longest_line(nquads) >= BULK_MAX_LINE
            (update if exists or too_long else fresh).append((name, nquads))
        if fresh:
            self._add_new(fresh)
        if update:
            self._replace([(name, _as_triples(name, nquads).decode("utf-8")) for name, nquads in update])

    def _add_new(self, docs: list[tuple[str, bytes]]) -> None:
        """Bulk-load documents that have no graph yet, with their copies in the default graph.

        Documents are grouped so that each ``bulk_load`` call stays under
        ``BULK_MAX_QUADS`` quads (one atomic ingestion); a document is never split,
        except one of more than ``BULK_SLICE`` bytes (``_bulk_load_long``).
        """
        for group in _bulk_groups([doc for doc in docs if len(doc[1]) <= BULK_SLICE], BULK_MAX_QUADS):
            self._bulk_load_new(group)
        for name, nquads in docs:
            if len(nquads) > BULK_SLICE:
                self._bulk_load_long(name, nquads)

    def _bulk_load_long(self, name: str, nquads: bytes) -> None:
        """Bulk-load one long document in slices of about ``BULK_SLICE`` bytes (whole lines), so
        the loader's memory stays that of a slice; its content hash goes last. An interrupted
        load leaves a graph without a content hash, which ``remove_incomplete`` drops (the
        next build writes the document again)."""
        hashes = re.compile(rb"^[^\n]* <" + re.escape(CONTENT_HASH.encode()) + rb"> [^\n]*\n", re.MULTILINE)
        last: list[bytes] = []
        start = 0
        while start < len(nquads):  # slices of the text as given: no second copy of the whole
            end = nquads.find(b"\n", start + BULK_SLICE) + 1 or len(nquads)
            piece = nquads[start:end]
            if found := hashes.findall(piece):
                last.extend(found)
                piece = hashes.sub(b"", piece)
            self._bulk_load_new([(name, piece)])
            start = end
        self._bulk_load_new([(name, b"".join(last))])

    def _bulk_load_new(self, docs: list[tuple[str, bytes]]) -> None:
        union = [_as_triples(name, nquads) for name, nquads in docs]
        data = b"".join([nquads for _, nquads in docs] + union)
        if not data:
            return
        try:
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS)
        except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
            where = self.path or "<memory>"
            raise StoreError(f"{where}: cannot write {len(docs)} documents: {exc}") from exc

    def _replace(self, graphs: list[tuple[str, str]]) -> None:
        """One SPARQL update: retract each graph ``<name>``, INSERT DATA its triples (text)
        into the graph and into the default graph."""
        if not graphs:
            return
        retract = " ;\n".join(_retract(name) for name, _ in graphs)
        inserts = "\n".join(f"GRAPH {name} {{ {body} }}" for name, body in graphs)
        union = "\n".join(body for _, body in graphs)
        self._update(f"{retract} ;\nINSERT DATA {{\n{inserts}\n{union}\n}}", f"write {len(graphs)} documents")

    def _update(self, sparql: str, what: str) -> None:
        try:
            self._store.update(sparql)
        except (OSError, RuntimeError, SyntaxError) as exc:
            where = self.path or "<memory>"
            raise StoreError(f"{where}: cannot {what}: {exc}") from exc

    def remove_graphs(self, names: Iterable[str]) -> None:
        """Drop named graphs and the default graph's triples that only they stated (one transaction)."""
        ops = [_retract(str(ox.NamedNode(name))) for name in names]
        if ops:
            self._update(" ;\n".join(ops), f"remove {len(ops)} documents")

    def rebuild_union(self) -> None:
        """Make the default graph exactly the union of the named graphs."""
        self._update(
            "DROP SILENT DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "rebuild the union graph",
        )

    def has_union(self) -> bool:
        """True when the default graph holds something, or no document does."""
        default = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return next(iter(default), None) is not None or not self.documents()

    def remove_incomplete(self) -> list[str]:
        """Drop every named graph without a content hash; return their names.

        The content hash is written with (or, by a non-transactional bulk
        write, after) a document's other quads, so a graph without one is a
        write that was interrupted: it is removed and the document redone.
        """
        incomplete: list[str] = []
        for part in chunked(self.iter_documents(), 256):  # never every document's name and hash at once
            complete = self.content_hashes_of(part)
            incomplete.extend(g for g in part if g not in complete)
        self.remove_graphs(incomplete)
        return sorted(incomplete)

    def remove_document(self, graph_iri: str) -> bool:
        name = ox.NamedNode(graph_iri)
        if not self._store.contains_named_graph(name):
            return False
        self.remove_graphs([graph_iri])
        return True

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # -- reading -----------------------------------------------------------------
    def content_hashes(self) -> dict[str, str]:
        """Named graph IRI -> content hash of the document it holds."""
        return dict(self.iter_content_hashes())

    def iter_content_hashes(self) -> Iterator[tuple[str, str]]:
        """(named graph IRI, content hash) of every document, as a stream (no order)."""
        for q in self._store.quads_for_pattern(None, ox.NamedNode(CONTENT_HASH), None, None):
            if isinstance(q.graph_name, ox.NamedNode) and isinstance(q.object, ox.Literal):
                yield q.graph_name.value, q.object.value

    def content_hashes_of(self, graphs: Iterable[str]) -> dict[str, str]:
        """Graph IRI -> content hash, of those of ``graphs`` the store holds: one lookup each, so
        a build asks batch by batch and never holds every document's (~230 bytes each)."""
        predicate = ox.NamedNode(CONTENT_HASH)
        found: dict[str, str] = {}
        for graph in graphs:
            for q in self._store.quads_for_pattern(None, predicate, None, ox.NamedNode(graph)):
                if isinstance(q.object, ox.Literal):
                    found[graph] = q.object.value
        return found

    def documents(self) -> list[str]:
        return sorted(self.iter_documents())

    def iter_documents(self) -> Iterator[str]:
        """The named graphs' IRIs, as a stream (in the store's order)."""
        return (g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, OxTerm] | None = None,
              prefixes: Mapping[str, str] | None = None) -> OxResult:
        """Run SPARQL; the default graph is the union of all document graphs (a set).
        ``prefixes`` are declared for the query as if it began with their PREFIX lines."""
        return self._store.query(sparql, substitutions=dict(substitutions) if substitutions else None,
                                 prefixes=dict(prefixes) if prefixes else None)

    def select(self, sparql: str) -> ox.QuerySolutions:
        """The solutions of a SELECT query."""
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"not a SELECT query: {sparql[:80]!r}")
        return result

    def construct(self, sparql: str) -> ox.QueryTriples:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        result = self.query(sparql)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError(f"not a CONSTRUCT query: {sparql[:80]!r}")
        return result

    def run(self, query: NamedQuery, terms: Mapping[str, Term], *, limits: Limits = DEFAULT_LIMITS) -> Result:
        """Answer a named query, ``terms`` bound by substitution (``kg.sparql.QueryTarget``);
        refused first when over ``limits`` (``kg.sparql.guard``)."""
        return run_local(self, query, terms, limits=limits)

    def triples(self) -> Iterator[ox.Triple]:
        """The union graph: every distinct triple of every document."""
        for quad in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            yield quad.triple

    def dump_union(self, path: str | os.PathLike[str]) -> None:
        """The union graph (the default graph) as N-Triples in ``path``; equal graphs give equal bytes."""
        self._store.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of every document graph (the default graph left out)."""
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def __len__(self) -> int:
        """The number of quads in the document graphs."""
        return sum(1 for _ in self.quads())

    def to_rdflib(self) -> Graph:
        """The union graph as an rdflib Graph (for pySHACL and small exports)."""
        graph = Graph()
        for t in self.triples():
            graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
        return graph

    def dump(self, output: IO[bytes] | str | os.PathLike[str], fmt: str, prefixes: dict[str, str]) -> None:
        """Write the union (graph formats) or every named graph (dataset formats).

        Turtle, N-Triples and RDF/XML are Oxigraph's own dump of the default graph;
        TriG and JSON-LD (with kg's @context) are written graph by graph (``_dump_trig``,
        ``_dump_jsonld``); N-Quads goes through ``pyoxigraph.serialize`` (Oxigraph's dump
        would add the default graph).
        """
        if fmt not in FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        rdf_format = FORMATS[fmt]
        if fmt in NATIVE_GRAPH_DUMPS:
            self._store.dump(output, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        elif fmt in ("trig", "jsonld"):
            write = self._dump_trig if fmt == "trig" else self._dump_jsonld
            if isinstance(output, (str, os.PathLike)):
                with open(output, "wb") as stream:
                    write(stream, prefixes)
            else:
                write(output, prefixes)
        else:
            data: Iterable[ox.Triple] | Iterable[ox.Quad]
            data = self.quads() if fmt in DATASET_FORMATS else self.triples()
            ox.serialize(data, output, rdf_format, prefixes=prefixes)

    def _dump_jsonld(self, out: IO[bytes], prefixes: dict[str, str]) -> None:
        """JSON-LD with kg's @context, one ``{"@id": graph, "@graph": [...]}`` per document
        (``kg.sparql.jsonld``), read graph by graph so memory does not grow with the store."""
        from kg.sparql.jsonld import write_jsonld

        graphs = ((g, (q.triple for q in self._store.quads_for_pattern(None, None, None, g)))
                  for g in self._store.named_graphs())
        write_jsonld(out, graphs=graphs)

    def _dump_trig(self, out: IO[bytes], prefixes: dict[str, str]) -> None:
        """Every named graph as a TriG block holding Oxigraph's Turtle dump of that graph.

        Each non-empty Turtle dump starts with the same ``@prefix`` lines (directives
        TriG only allows outside blocks): they are written once, at the top.

        Graphs are dumped ``TRIG_GRAPHS_PER_TASK`` at a time by ``TRIG_THREADS``
        threads (Oxigraph's dump releases the GIL) and written in order; at most
        ``2 * TRIG_THREADS`` chunks are held at once, so memory does not grow with the
        store.
        """
        from concurrent.futures import Future, ThreadPoolExecutor

        chunks = chunked(self._store.named_graphs(), TRIG_GRAPHS_PER_TASK)
        header: bytes | None = None
        with ThreadPoolExecutor(TRIG_THREADS, thread_name_prefix="kg-graph.trig") as pool:
            window: list[Future[list[tuple[ox.NamedNode | ox.BlankNode, bytes, int]]]] = []
            while True:
                while len(window) < 2 * TRIG_THREADS:
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    window.append(pool.submit(self._turtle_of, chunk, prefixes))
                if not window:
                    break
                for graph, body, cut in window.pop(0).result():
                    if header is None:
                        header = body[:cut]
                        out.write(header)
                    elif body[:cut] != header:
                        raise StoreError(f"unexpected Turtle from Oxigraph for graph {graph}: {body[:cut][:200]!r}")
                    if len(body) > cut:
                        out.write(f"{graph} {{\n".encode())
                        out.write(memoryview(body)[cut:])
                        out.write(b"}\n")

    def _turtle_of(self, graphs: list[ox.NamedNode | ox.BlankNode],
                   prefixes: dict[str, str]) -> list[tuple[ox.NamedNode | ox.BlankNode, bytes, int]]:
        """Oxigraph's Turtle dump of each graph, with where its ``@prefix`` lines end."""
        dumps = []
        for graph in graphs:
            body = self._store.dump(None, ox.RdfFormat.TURTLE, from_graph=graph, prefixes=prefixes) or b""
            cut = 0
            while body.startswith(b"@prefix ", cut):
                cut = body.index(b"\n", cut) + 1
            dumps.append((graph, body, cut))
        return dumps


def _remove_unfinished_bulk_files(path: Path) -> None:
    """Delete the SST files a killed bulk load left in the store directory.

    Oxigraph's bulk loader writes ``bulk-<random>.sst`` files there and removes them
    once RocksDB has ingested (copied) them, or on an error; a SIGKILL leaves them
    behind, unknown to RocksDB. Called with the store open for writing, which holds
    RocksDB's lock, so no other process can be loading.
    """
    for stale in path.glob("bulk-*.sst"):
        stale.unlink(missing_ok=True)


def _bulk_groups(docs: list[tuple[str, bytes]], max_quads: int) -> Iterator[list[tuple[str, bytes]]]:
    """Consecutive groups of whole documents whose quads, each counted twice (graph and
    default-graph copy), stay under ``max_quads``; a larger document is a group alone.

    >>> docs = [("<a>", b"1\\n2\\n"), ("<b>", b"3\\n"), ("<c>", b"4\\n5\\n6\\n")]
    >>> [[name for name, _ in group] for group in _bulk_groups(docs, 7)]
    [['<a>', '<b>'], ['<c>']]
    """
    group: list[tuple[str, bytes]] = []
    size = 0
    for name, nquads in docs:
        quads = 2 * nquads.count(b"\n")
        if group and size + quads >= max_quads:
            yield group
            group, size = [], 0
        group.append((name, nquads))
        size += quads
    if group:
        yield group


def _as_triples(name: str, nquads: bytes) -> bytes:
    """The N-Triples of a document's N-Quads (every line in graph ``name``, checked): the
    lines without their graph term, for the default graph and for SPARQL INSERT DATA."""
    return nquads.replace(f" {name} .\n".encode(), b" .\n")


def _longest_line(data: bytes) -> int:
    """The length of the longest line of ``data`` (bytes, without its line break)."""
    longest = start = 0
    while (end := data.find(b"\n", start)) != -1:
        longest = max(longest, end - start)
        start = end + 1
    return max(longest, len(data) - start)


def _check_in_graph(name: str, nquads: bytes) -> None:
    """Raise StoreError unless every line of ``nquads`` (newline-terminated) is in graph ``name``.

    In serialized N-Quads a raw newline only ends a line, so it is enough to count
    the lines that end with `` <name> .``.
    """
    if nquads.count(b"\n") != nquads.count(f" {name} .\n".encode()):
        stray = next(line for line in nquads.decode("utf-8").split("\n")
                     if line and not line.endswith(f" {name} ."))
        raise StoreError(f"{name[1:-1]}: a quad outside the document's graph: {stray[:200]}")


def _retract(name: str) -> str:
    """SPARQL update: take graph ``name``'s triples that no other graph states out of
    the default graph, then drop the graph."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {name}) }} }} ;\n"
        f"DROP SILENT GRAPH {name}"
    )


def open_store(workspace: Path | Workspace, *, read_only: bool = False) -> OxigraphStore:
    """The store of a workspace directory (``workspace/store``).

    A workspace written before the default graph was kept as the union gets it
    built on its first opening for writing.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    if read_only:
        ws.require_store()
    store = OxigraphStore(ws.store_dir, read_only=read_only)
    if not read_only and not store.has_union():
        store.rebuild_union()
    return store
