"""The Python API: what the CLI does, callable from a notebook.

>>> import kg                                   # doctest: +SKIP
>>> summary = kg.build(["data/seed-news.txt"], workspace="kg-out")
>>> kg.validate("kg-out").conforms
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox

from kg.errors import KgError
from kg.io import read_documents
from kg.mapping.iri import DEFAULT_BASE, IriMinter
from kg.mapping.to_rdf import content_hash, to_graph
from kg.mapping.validate import Report
from kg.mapping.validate import validate as validate_graph
from kg.mapping.vocab import PREFIXES
from kg.model import Document, Problem
from kg.store.oxigraph import DATASET_FORMATS, FORMATS, OxigraphStore, open_store, to_ox
from kg.workspace import DEFAULT_WORKSPACE, write_lock

BATCH = 64
T = TypeVar("T")

CLASS_QUERY = """
PREFIX ckg: <https://w3id.org/cluster-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PROPERTY_QUERY = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p
"""
FACT_CLASSES = ("org#Post", "ontology#Agreement", "ontology#Event")


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over a workspace's union graph."""

    documents: int
    triples: int
    classes: dict[str, int]
    properties: dict[str, int]

    @property
    def facts(self) -> int:
        return sum(n for c, n in self.classes.items() if c.endswith(FACT_CLASSES))


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What one `build` did."""

    read: int
    added: int
    updated: int
    unchanged: int
    problems: tuple[Problem, ...]
    stats: Stats
    seconds: float
    outputs: tuple[Path, ...] = field(default_factory=tuple)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _doc_quads(graph_iri: str, graph: object) -> list[ox.Quad]:
    name = ox.NamedNode(graph_iri)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph]  # type: ignore[attr-defined]


def build(
    inputs: Sequence[str | Path],
    workspace: str | Path = DEFAULT_WORKSPACE,
    *,
    per_file: bool = False,
    encoding: str | None = None,
    base: str = DEFAULT_BASE,
    report: Callable[[Problem], None] | None = None,
    views: bool = True,
) -> BuildSummary:
    """Read ``inputs``, extract facts, store one named graph per document, write the views.

    A document whose content is unchanged since the last build is skipped; a
    changed one has its graph replaced; new ones are added.
    """
    from kg.extract import Extractor  # loads natasha: only when building

    started = time.perf_counter()
    ws = Path(workspace)
    minter = IriMinter(base)
    problems: list[Problem] = []

    def collect(problem: Problem) -> None:
        problems.append(problem)
        if report:
            report(problem)

    read = added = updated = unchanged = 0
    with write_lock(ws):
        store = open_store(ws)
        known = store.content_hashes()
        extractor: Extractor | None = None
        docs = read_documents(inputs, per_file=per_file, encoding=encoding, report=collect)
        for batch in _batches(docs, BATCH):
            pending: list[tuple[ox.NamedNode, list[ox.Quad]]] = []
            for doc in batch:
                read += 1
                iri = minter.document(doc.id)
                previous = known.get(iri)
                if previous == content_hash(doc):
                    unchanged += 1
                    continue
                extractor = extractor or Extractor()
                graph = to_graph(_safe_extract(extractor, doc, collect), minter)
                pending.append((ox.NamedNode(iri), _doc_quads(iri, graph)))
                if previous is None:
                    added += 1
                else:
                    updated += 1
            store.replace_documents(pending)
        store.flush()
        outputs = _write_views(store, ws) if views else ()
        stats = _stats(store)
    return BuildSummary(
        read, added, updated, unchanged, tuple(problems), stats,
        time.perf_counter() - started, outputs,
    )


def _safe_extract(extractor: object, doc: Document, collect: Callable[[Problem], None]) -> object:
    """Extract; an extractor failure costs that document's facts, not the run."""
    from kg.model import Extraction

    try:
        return extractor.extract(doc)  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - reported and the document kept without facts
        collect(Problem(doc.origin or doc.id, f"extraction failed ({type(exc).__name__}: {exc}); document kept without facts"))
        return Extraction(doc)


def _write_views(store: OxigraphStore, ws: Path) -> tuple[Path, ...]:
    written = []
    for name, fmt in (("graph.ttl", "turtle"), ("graph.trig", "trig")):
        path = ws / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        store.dump(str(tmp), fmt, PREFIXES)
        tmp.replace(path)
        written.append(path)
    return tuple(written)


def _stats(store: OxigraphStore) -> Stats:
    classes = {s["class"].value: int(s["n"].value) for s in store.query(CLASS_QUERY)}  # type: ignore[attr-defined]
    properties = {s["p"].value: int(s["n"].value) for s in store.query(PROPERTY_QUERY)}  # type: ignore[attr-defined]
    return Stats(len(store.documents()), sum(1 for _ in store.triples()), classes, properties)


def stats(workspace: str | Path = DEFAULT_WORKSPACE) -> Stats:
    """Counts per class and property of a built workspace."""
    return _stats(open_store(Path(workspace), read_only=True))


EXPORT_FORMATS = tuple(FORMATS)


def export(
    workspace: str | Path = DEFAULT_WORKSPACE,
    fmt: str = "turtle",
    output: str | Path | IO[bytes] = "-",
) -> None:
    """Write the workspace graph: the union for graph formats, named graphs for trig/nq."""
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    store = open_store(Path(workspace), read_only=True)
    if isinstance(output, (str, Path)):
        store.dump(str(output), fmt, PREFIXES)
    else:
        store.dump(output, fmt, PREFIXES)


def validate(workspace: str | Path = DEFAULT_WORKSPACE) -> Report:
    """SHACL-validate the union graph of a workspace."""
    return validate_graph(open_store(Path(workspace), read_only=True).to_rdflib())


__all__ = ["BuildSummary", "Stats", "build", "export", "stats", "validate", "DATASET_FORMATS"]
