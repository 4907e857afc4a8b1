"""The Python API: what the CLI does, callable from a notebook.

>>> import kg                                                           # doctest: +SKIP
>>> summary = kg.build(["data/seed-news.txt"], workspace="kg-out")      # doctest: +SKIP
>>> kg.validate("kg-out").conforms                                      # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

import kg.facts
from kg.errors import KgError
from kg.mapping.iri import DEFAULT_BASE
from kg.mapping.validate import Report
from kg.mapping.validate import validate as validate_graph
from kg.mapping.vocab import PREFIXES
from kg.model import Problem
from kg.sparql.catalog import NamedQuery
from kg.sparql.bind import bind
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query
from kg.sparql.rows import Rows
from kg.sparql.run import Result, resolve, run, value
from kg.sparql.terms import Term
from kg.store.oxigraph import DATASET_FORMATS, FORMATS, OxigraphStore, open_store
from kg.vocab import ENTITY_CLASS_BY_IRI
from kg.workspace import DEFAULT_WORKSPACE, Workspace, atomic_write

if TYPE_CHECKING:
    from kg.store.remote import Endpoint, PushReport

CLASS_QUERY = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PROPERTY_QUERY = """
SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p
"""


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts over a workspace's union graph."""

    documents: int
    triples: int
    classes: dict[str, int]
    properties: dict[str, int]

    @property
    def facts(self) -> int:
        """Instances of the fact classes (posts, agreements, events: ``kg.facts``)."""
        fact_classes = kg.facts.class_iris(kg.facts.FACTS)
        return sum(n for c, n in self.classes.items() if c in fact_classes)

    @property
    def entities(self) -> dict[str, int]:
        """Instances of each entity class, by the class's local name (``Company``), most first."""
        return {ENTITY_CLASS_BY_IRI[c].name: n for c, n in self.classes.items() if c in ENTITY_CLASS_BY_IRI}


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
    pushed: PushReport | None = None  # with ``push``: what went to the server

    @property
    def skipped(self) -> int:
        """Records or files that were reported and not read (warnings excluded)."""
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(frozen=True, slots=True)
class RemoveSummary:
    """What one `remove` did: document ids removed and ids not in the workspace."""

    removed: tuple[str, ...]
    missing: tuple[str, ...]
    stats: Stats
    outputs: tuple[Path, ...] = field(default_factory=tuple)


def build(
    inputs: Sequence[str | Path],
    workspace: str | Path = DEFAULT_WORKSPACE,
    *,
    per_file: bool = False,
    encoding: str | None = None,
    base: str = DEFAULT_BASE,
    report: Callable[[Problem], None] | None = None,
    views: bool = True,
    jobs: int = 1,
    progress: bool = False,
    dask: str | None = None,
    push: Endpoint | None = None,
) -> BuildSummary:
    """Read ``inputs``, extract facts, store one named graph per document, write the views.

    A document whose content is unchanged since the last build is skipped; a
    changed one has its graph replaced; new ones are added. Input is streamed
    and written in batches, so memory stays flat for any number of documents.
    ``jobs`` worker processes extract in parallel (the result is the same as
    with ``jobs=1``); ``dask`` (``"local:N"`` or a scheduler address such as
    ``"tcp://host:8786"``, needs ``pip install 'kg[dask]'``) extracts on a Dask cluster
    instead, with the same result; ``progress`` draws a bar on stderr when it is a terminal.
    ``push`` (a ``kg.store.remote.Endpoint``, a Graph Store URL) then uploads the document
    graphs that changed since the last push to it, and deletes those removed (``kg push``).
    """
    from kg.build import run_build

    return run_build(inputs, Path(workspace), per_file=per_file, encoding=encoding, base=base,
                     report=report, views=views, jobs=jobs, progress=progress, dask=dask,
                     push=push)


def remove(ids: Iterable[str], workspace: str | Path = DEFAULT_WORKSPACE, *, views: bool = True) -> RemoveSummary:
    """Drop the documents ``ids`` (their named graphs) and rewrite the views.

    Every triple only these documents supported goes with them; entities and
    facts also read from another document stay, as that document's graph still
    holds them.
    """
    from kg.build import run_remove

    return run_remove(list(ids), Path(workspace), views=views)


def _write_views(store: OxigraphStore, ws: Path) -> tuple[Path, ...]:
    """graph.ttl and graph.trig (Oxigraph's dumps, in a thread: they release the GIL)
    while graph.html is rendered here."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.build import write_views

    with ThreadPoolExecutor(1, thread_name_prefix="kg-views") as pool:
        rdf = pool.submit(write_views, store, ws, PREFIXES)
        from kg.viz import render_store  # networkx and the page templates: only when writing views

        html = Workspace(ws).html
        with atomic_write(html) as tmp:
            tmp.write_text(render_store(store, title=f"kg: {ws.name}"), encoding="utf-8")
        written = list(rdf.result())
    written.append(html)
    return tuple(written)


def _stats(store: OxigraphStore) -> Stats:
    classes = {value(s["class"]): int(value(s["n"])) for s in store.select(CLASS_QUERY)}
    properties = {value(s["p"]): int(value(s["n"])) for s in store.select(PROPERTY_QUERY)}
    # every triple of the union graph has one predicate: the per-property counts sum to the triples
    return Stats(len(store.documents()), sum(properties.values()), classes, properties)


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


def query(
    query: str | NamedQuery,
    *,
    workspace: Path | str | None = None,
    params: Mapping[str, str | Term] | None = None,
    endpoint: str | Endpoint | None = None,
    store: OxigraphStore | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
) -> Result:
    """Run a named query (or an ``.rq`` path, or query text) with bound parameters.

    Exactly one of ``workspace``, ``store`` or ``endpoint`` says where to run it. SELECT
    gives ``Rows``, ASK a ``bool``, CONSTRUCT and DESCRIBE a Turtle ``str``.
    Locally, a query is checked before it runs (size, nesting; ``SERVICE`` only
    with ``allow_service``); with ``timeout`` it runs in a child process that is
    stopped after that many seconds (QueryTimeout). For an endpoint, ``timeout``
    is the seconds the whole request may take (``Endpoint.timeout``).
    """
    if endpoint is not None:
        from kg.store.remote import Endpoint

        if isinstance(endpoint, Endpoint):
            target = endpoint if timeout is None else replace(endpoint, timeout=timeout)
        else:
            target = Endpoint(endpoint) if timeout is None else Endpoint(endpoint, timeout=timeout)
        return run(query, target, params)
    named = resolve(query)
    terms = bind(named, params or {})
    limits = replace(DEFAULT_LIMITS, allow_service=allow_service)
    if timeout is not None:
        return _run_isolated(workspace, store, named, terms, timeout, limits)
    if store is None:
        if workspace is None:
            raise KgError("say where to run the query: a workspace, a store or an endpoint")
        store = open_store(Path(workspace), read_only=True)
    return store.run(named, terms, limits=limits)


def _run_isolated(workspace: Path | str | None, store: OxigraphStore | None, named: NamedQuery,
                  terms: Mapping[str, Term], timeout: float, limits: Limits) -> Result:
    """A local query in a worker process (``kg.sparql.worker``), stopped after ``timeout`` seconds."""
    from kg.sparql.worker import Job, run_isolated

    check_query(named.text, limits, named.origin or named.name)  # refused here, not after a spawn
    if store is not None:
        if store.path is None:
            raise KgError("a time limit needs a store on disk (a workspace), not one in memory")
        store_dir = store.path
    elif workspace is not None:
        ws = Workspace(workspace)
        ws.require_store()
        store_dir = ws.store_dir
    else:
        raise KgError("say where to run the query: a workspace, a store or an endpoint")
    result = run_isolated(store_dir, Job(named, dict(terms), seconds=timeout, limits=limits), timeout)
    assert isinstance(result, Rows | bool | str)
    return result


def validate(workspace: str | Path = DEFAULT_WORKSPACE) -> Report:
    """SHACL-validate the union graph of a workspace."""
    return validate_graph(open_store(Path(workspace), read_only=True).to_rdflib())


if TYPE_CHECKING:
    from kg.store.remote import Endpoint

__all__ = ["BuildSummary", "RemoveSummary", "Stats", "build", "remove", "export", "query", "stats", "validate",
           "DATASET_FORMATS"]
