"""The Python API: what the CLI does, callable from a notebook.

Every ``kg`` command calls one function here (``kg.cli`` imports nothing else of kg);
the functions delegate to the stages: ``kg.pipeline`` (build, remove, views, counts),
``kg.store`` and ``kg.sparql`` (queries, push, serve), ``kg.viz``, ``kg.evaluate``.

>>> import kg                                                           # doctest: +SKIP
>>> summary = kg.build(["data/seed-news.txt"], workspace="kg-out")      # doctest: +SKIP
>>> kg.validate("kg-out").conforms                                      # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, TextIO

from kg.errors import InputError, KgError
from kg.evaluate.halves import Half
from kg.extract import Extracts
from kg.mapping.iri import DEFAULT_BASE
from kg.mapping.validate import Report
from kg.mapping.validate import validate as validate_graph
from kg.mapping.vocab import PREFIXES
from kg.model import Problem
from kg.pipeline.build import BuildSummary, run_build
from kg.pipeline.curate import CurationSummary, run_curate, suggestions
from kg.pipeline.remove import RemoveSummary, run_remove
from kg.pipeline.stats import Stats, store_stats
from kg.sparql.bind import bind
from kg.sparql.catalog import NamedQuery, list_queries, parse_query
from kg.sparql.formats import check_format, format_result
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query
from kg.sparql.graph import Turtle
from kg.sparql.rows import Rows
from kg.sparql.run import Result, resolve, run, runner, with_entities
from kg.sparql.run import find as find_entities
from kg.sparql.terms import STANDARD_PREFIXES, Term
from kg.store.oxigraph import DATASET_FORMATS, FORMATS, OxigraphStore, open_store
from kg.resolve.suggest import Suggestion
from kg.store.remote import Endpoint, PushReport
from kg.workspace import DEFAULT_WORKSPACE, Workspace, write_output

if TYPE_CHECKING:
    from kg.evaluate.factru import FactruResult
    from kg.evaluate.gold import GoldReport
    from kg.evaluate.identity import IdentityReport


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
    An input path that does not exist (a typo) raises InputError before anything
    is written.
    """
    missing = [str(path) for path in inputs if str(path) != "-" and not Path(path).exists()]
    if missing:
        raise InputError(f"no such file or directory: {', '.join(missing)}; nothing was built")
    return run_build(inputs, Path(workspace), per_file=per_file, encoding=encoding, base=base,
                     report=report, views=views, jobs=jobs, progress=progress, dask=dask, push=push)


def remove(ids: Iterable[str], workspace: str | Path = DEFAULT_WORKSPACE, *, views: bool = True) -> RemoveSummary:
    """Drop the documents ``ids`` (their named graphs) and rewrite the views.

    Every triple only these documents supported goes with them; entities and
    facts also read from another document stay, as that document's graph still
    holds them.
    """
    return run_remove(list(ids), Path(workspace), views=views)


def curate(workspace: str | Path, verb: str, *terms: str, comment: str = "",
           views: bool = True) -> CurationSummary:
    """Record a correction in ``WORKSPACE/curation.tsv`` and apply it to the workspace.

    ``verb`` is ``same`` or ``different`` (two IRIs or names) or ``reject`` (a fact IRI, or
    the three IRIs of a statement). The correction is applied on this and every later build.
    """
    return run_curate(Path(workspace), verb, tuple(terms), comment=comment, views=views)


def suggest(workspace: str | Path = DEFAULT_WORKSPACE, limit: int = 50) -> list[Suggestion]:
    """Pairs of nodes that may be one real entity and were left apart, best first
    (score, IRIs, labels, region)."""
    return suggestions(Path(workspace), limit)


def stats(workspace: str | Path = DEFAULT_WORKSPACE, *, network: bool = False) -> Stats:
    """Counts per class and property of a built workspace; with ``network``, also the
    analytics of its entity network (``kg.viz``: centralities, components, communities)."""
    store = open_store(Path(workspace), read_only=True)
    counts = store_stats(store)
    if not network:
        return counts
    from kg.viz import analyze  # networkx: only when asked for

    return replace(counts, network=analyze(store))


EXPORT_FORMATS = tuple(FORMATS)
NETWORK_FORMATS = ("graphml", "gexf")  # kg.viz.gephi.FORMATS (tests/test_cli.py keeps them equal)


def export(
    workspace: str | Path = DEFAULT_WORKSPACE,
    fmt: str = "turtle",
    output: str | Path | IO[bytes] = "-",
) -> None:
    """Write the workspace graph: the union for graph formats, named graphs for trig/nq;
    ``graphml`` and ``gexf`` write the entity network for Gephi (``kg.viz``).

    A file ``output`` is written under a temporary name and renamed when complete (a
    full disk leaves no partial file: StoreError); a device (``/dev/null``) is written
    in place."""
    if fmt in NETWORK_FORMATS:
        from kg.viz import export_workspace  # networkx: only for the network formats

        if isinstance(output, (str, Path)):
            write_output(output, lambda target: export_workspace(Path(workspace), fmt, target))
        else:
            export_workspace(Path(workspace), fmt, output)
        return
    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; choose one of {', '.join((*FORMATS, *NETWORK_FORMATS))}")
    store = open_store(Path(workspace), read_only=True)
    if isinstance(output, (str, Path)):
        write_output(output, lambda target: store.dump(target, fmt, PREFIXES))
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
    gives ``Rows``, ASK a ``bool``, CONSTRUCT and DESCRIBE ``Turtle`` (a ``str``).
    Locally, a query is checked before it runs (size, nesting; ``SERVICE`` only
    with ``allow_service``); with ``timeout`` it runs in a child process that is
    stopped after that many seconds (QueryTimeout). For an endpoint, ``timeout``
    is the seconds the whole request may take (``Endpoint.timeout``).
    """
    if endpoint is not None:
        if isinstance(endpoint, Endpoint):
            target = endpoint if timeout is None else replace(endpoint, timeout=timeout)
        else:
            target = Endpoint(endpoint) if timeout is None else Endpoint(endpoint, timeout=timeout)
        return run(query, target, params)
    named = resolve(query)
    local = _local_store(workspace, store)
    terms = bind(named, with_entities(named, params, lambda: runner(local())))
    limits = replace(DEFAULT_LIMITS, allow_service=allow_service)
    if timeout is not None:
        return _run_isolated(workspace, store, named, terms, timeout, limits)
    return local().run(named, terms, limits=limits)


def find(text: str, *, workspace: Path | str | None = None, endpoint: str | Endpoint | None = None,
         store: OxigraphStore | None = None, classes: Iterable[str] = ()) -> Rows:
    """Every entity ``text`` names (its label or another name seen in the news; case, ё and
    Russian word endings ignored), best match first, each once, as ``Rows`` of ``entity``,
    ``label``, ``class``, ``match`` (exact, inflected, partial, prefix). ``classes``: class
    names (``Cluster``, ``Person``) or IRIs to keep to. One of ``workspace``, ``store`` or
    ``endpoint`` says where to look."""
    if endpoint is not None:
        return find_entities(text, endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint), classes)
    return find_entities(text, _local_store(workspace, store)(), classes)


def _local_store(workspace: Path | str | None, store: OxigraphStore | None) -> Callable[[], OxigraphStore]:
    """The store to query locally, opened read-only on first call (once)."""
    opened: list[OxigraphStore] = [] if store is None else [store]

    def get() -> OxigraphStore:
        if not opened:
            if workspace is None:
                raise KgError("say where to run the query: a workspace, a store or an endpoint")
            opened.append(open_store(Path(workspace), read_only=True))
        return opened[0]

    return get


def curie(iri: str) -> str:
    """``ckg:Cluster`` for an IRI under one of the project's prefixes, else the IRI itself."""
    return next((f"{k}:{iri[len(v):]}" for k, v in STANDARD_PREFIXES.items() if iri.startswith(v)), iri)


def prepare_query(query: str | NamedQuery, fmt: str | None = None) -> NamedQuery:
    """The query a name, an ``.rq`` path or query text stands for; with ``fmt`` (an output
    format of ``format_result``), a QueryError before it runs when the format does not fit
    its form (``nt`` for a SELECT, ``csv`` for a CONSTRUCT): KgError."""
    named = resolve(query)
    if fmt is not None:
        check_format(named.form, fmt)
    return named


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
    assert isinstance(result, Rows | bool | Turtle)
    return result


def validate(workspace: str | Path = DEFAULT_WORKSPACE) -> Report:
    """SHACL-validate the union graph of a workspace."""
    return validate_graph(open_store(Path(workspace), read_only=True).to_rdflib())


def view(
    workspace: str | Path = DEFAULT_WORKSPACE,
    output: str | Path | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    cluster: str | None = None,
    title: str | None = None,
) -> Path:
    """Write the HTML relationship view of a workspace (default ``WORKSPACE/graph.html``), or of
    one entity's neighbourhood (``focus``, ``depth``) or one cluster's world; returns its path."""
    from kg.viz import write_view  # networkx and the page templates

    return write_view(Path(workspace), None if output is None else Path(output), focus=focus, depth=depth,
                      cluster=cluster, title=title)


def demo_corpus(output: str | Path | TextIO, n: int, seed: int = 0) -> int:
    """Write ``n`` generated Russian cluster news items as JSONL (same seed, same bytes); the count."""
    from kg.demo import write_corpus

    return write_corpus(output, n, seed)


def queries() -> list[NamedQuery]:
    """Every named query (``queries/*.rq``), sorted by name."""
    return list_queries()


def push(workspace: str | Path, endpoint: Endpoint, *, force: bool = False,
         query_endpoint: Endpoint | None = None, union: bool | None = None) -> PushReport:
    """Upload every document graph of a workspace to a Graph Store endpoint (PUT per graph).

    A graph is skipped, unless ``force``, only when it was pushed unchanged before and
    the server still holds it with as many triples: one query per 1,000 graphs asks
    it, at ``query_endpoint`` (default: the query URL beside the Graph Store URL).
    With ``union``, their union graph too (``kg.store.remote.UNION_GRAPH``, read by
    ``query(..., endpoint=...)``); by default unless the server's default graph is that
    union already (Virtuoso, GraphDB)."""
    from kg.store.remote import push as push_graphs

    return push_graphs(Path(workspace), endpoint, force=force, query_endpoint=query_endpoint, union=union)


def serve(workspace: str | Path, port: int = 7878, *, timeout: float = 10.0, workers: int | None = None,
          allow_service: bool = False, cors: bool = False, base: str | None = None,
          ready: Callable[[str], None] | None = None, log: Callable[[str], None] | None = None) -> int:
    """Serve a workspace as a read-only SPARQL endpoint on 127.0.0.1 until Ctrl-C or SIGTERM.

    ``/`` is YASGUI (the project's prefixes, the named queries as examples), ``/query`` the
    SPARQL 1.1 Protocol, ``/id/…`` the page of the node ``{base}…`` (HTML, or Turtle for
    ``Accept: text/turtle``). A query runs in one of ``workers`` processes (default: cores,
    2 to 4) and is stopped after ``timeout`` seconds; ``SERVICE`` only with ``allow_service``;
    ``cors`` lets pages of other origins query it. ``ready(url)`` is called once it listens,
    ``log(line)`` for each unexpected failure of a request. Returns 0 once stopped.
    """
    from kg.mapping.iri import check_base
    from kg.sparql.serve import Settings, default_workers
    from kg.sparql.serve import serve as serve_workspace

    settings = Settings(timeout=timeout, limits=Limits(allow_service=allow_service),
                        workers=workers or default_workers(), log=log, cors=cors,
                        base=DEFAULT_BASE if base is None else check_base(base))
    return serve_workspace(Path(workspace), port, settings=settings, ready=ready)


# -- evaluation (kg eval) ---------------------------------------------------------------------------

EXTRACTORS = ("default",)


def make_extractor(name: str = "default") -> Extracts:
    """The extractor an evaluation scores (``kg.extract.Extractor``: loads the NLP models)."""
    if name not in EXTRACTORS:
        raise KgError(f"unknown extractor {name!r}; choose one of {', '.join(EXTRACTORS)}")
    from kg.extract import Extractor

    extractor: Extracts = Extractor()
    return extractor


def eval_factru(directory: str | Path, out: str | Path, *, limit: int | None = None, misses: Sequence[str] = (),
                half: Half | None = None, extractor: str = "default",
                progress: Callable[[str], None] | None = None) -> FactruResult:
    """Write factRuEval-2016 responses for ``directory``'s texts into ``out`` and score them
    where gold lies beside the texts (``result.format()`` prints the tables)."""
    from kg.evaluate.factru import list_books, run_factru

    list_books(Path(directory))  # fail on a bad folder before loading models
    return run_factru(Path(directory), Path(out), make_extractor(extractor), limit=limit, progress=progress,
                      misses=tuple(misses), half=half)


def eval_gold(file: str | Path, *, half: Half | None = None, extractor: str = "default",
              progress: Callable[[str], None] | None = None) -> GoldReport:
    """Score the extractor on a JSONL file whose records carry a ``gold`` object."""
    from kg.evaluate.gold import load_gold, score_gold

    records = load_gold(Path(file))
    return score_gold(records, make_extractor(extractor), progress=progress, half=half)


def eval_identity(gold: str | Path, *, workspace: str | Path | None = None, corpus: str | Path | None = None,
                  report: Callable[[Problem], None] | None = None) -> IdentityReport:
    """Score cross-document identity of a built workspace, or of ``corpus`` built in a temporary one."""
    from kg.evaluate.identity import evaluate_identity

    return evaluate_identity(Path(gold), workspace=None if workspace is None else Path(workspace),
                             corpus=None if corpus is None else Path(corpus), report=report)


__all__ = ["DATASET_FORMATS", "EXPORT_FORMATS", "EXTRACTORS", "NETWORK_FORMATS", "BuildSummary", "CurationSummary",
           "Endpoint", "Half", "KgError", "Problem", "RemoveSummary", "Stats", "Suggestion", "build", "curate",
           "curie", "demo_corpus", "eval_factru", "eval_gold", "eval_identity", "export", "find", "format_result",
           "make_extractor", "parse_query", "prepare_query", "push", "queries", "query", "remove", "serve", "stats",
           "suggest", "validate", "view"]
