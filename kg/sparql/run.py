"""Run a named query on a workspace's store or on a remote endpoint.

``query()`` is the Python API (re-exported as ``kg.query``): SELECT gives ``Rows``,
ASK a ``bool``, CONSTRUCT and DESCRIBE a Turtle ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kg.errors import KgError, QuerySyntaxError
from kg.sparql.bind import bind
from kg.sparql.catalog import NamedQuery, load_query, parse_query
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query
from kg.sparql.rows import Rows
from kg.sparql.terms import STANDARD_PREFIXES, Term, literal

if TYPE_CHECKING:
    from kg.store.oxigraph import OxigraphStore
    from kg.store.remote import Endpoint


class Queryable(Protocol):
    """What ``run_local`` needs of a store: SPARQL over its (union) default graph."""

    def query(self, sparql: str, **kwargs: object) -> object: ...

Result = Rows | bool | str

_LOCATION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)", re.S)


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.type == "uri":
        return ox.NamedNode(term.value)
    if term.type == "bnode":
        return ox.BlankNode(term.value)
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    if term.datatype:
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
    return ox.Literal(term.value)


def from_ox(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, term.datatype.value, term.language)
    raise KgError(f"cannot represent RDF term {term!r}")


def resolve(query: str | NamedQuery) -> NamedQuery:
    """A NamedQuery from a name, an ``.rq`` path or the text of a query."""
    if isinstance(query, NamedQuery):
        return query
    if any(ch in query for ch in "{\n"):
        return parse_query(query, name="query", origin="<query>")
    return load_query(query)


def syntax_error(exc: Exception, origin: str) -> QuerySyntaxError:
    """A QuerySyntaxError ``origin:line:column: message`` from a pyoxigraph SyntaxError."""
    message = str(exc)
    match = _LOCATION.search(message)
    if match:
        return QuerySyntaxError(f"{origin}:{match[1]}:{match[2]}: {match[3].strip()}")
    return QuerySyntaxError(f"{origin}: {message}")


def run_local(store: Queryable, query: NamedQuery, terms: Mapping[str, Term], *,
              limits: Limits = DEFAULT_LIMITS) -> Result:
    """Run ``query`` on the embedded store, ``terms`` bound by substitution.

    The query is checked first (``kg.sparql.guard``): too large, too deep or
    federated without ``limits.allow_service`` raises QueryRefused.
    """
    substitutions = {ox.Variable(name): to_ox(term) for name, term in terms.items()}
    where = query.origin or query.name
    check_query(query.text, limits, where)
    try:
        result = store.query(query.text, substitutions=substitutions)
    except SyntaxError as exc:
        raise syntax_error(exc, where) from exc
    except (RuntimeError, ValueError, OSError) as exc:
        raise KgError(f"{where}: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows = tuple(tuple(None if s[n] is None else from_ox(s[n]) for n in names) for s in result)
        return Rows(names, rows)
    # Each triple once, however many solutions build it (as a server's Turtle answer after parse_turtle).
    return to_turtle(dict.fromkeys(result), query.prefixes)  # type: ignore[call-overload]


def to_turtle(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> str:
    """Turtle of ``triples`` with the query's prefixes and ours."""
    # Instance IRIs have slashes after the base, which Turtle would escape (id:org\/x): no id: prefix.
    known = {k: v for k, v in {**STANDARD_PREFIXES, **prefixes}.items() if k != "id"}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=known)
    return data.decode("utf-8") if data else ""


def parse_turtle(text: str) -> list[ox.Triple]:
    """Triples of a Turtle (or N-Triples) document sent by a server."""
    try:
        return list(dict.fromkeys(q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)))
    except SyntaxError as exc:
        raise KgError(f"the endpoint sent Turtle that does not parse: {exc}") from exc


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

    Exactly one of ``workspace``, ``store`` or ``endpoint`` says where to run it.
    Locally, a query is checked before it runs (size, nesting; ``SERVICE`` only
    with ``allow_service``); with ``timeout`` it runs in a child process that is
    stopped after that many seconds (QueryTimeout). For an endpoint, ``timeout``
    is the seconds the whole request may take (``Endpoint.timeout``).
    """
    named = resolve(query)
    terms = bind(named, params or {})
    if endpoint is not None:
        from kg.store.remote import Endpoint, run_remote

        if isinstance(endpoint, Endpoint):
            target = endpoint if timeout is None else replace(endpoint, timeout=timeout)
        else:
            target = Endpoint(endpoint) if timeout is None else Endpoint(endpoint, timeout=timeout)
        return run_remote(target, named, terms)
    limits = replace(DEFAULT_LIMITS, allow_service=allow_service)
    if timeout is not None:
        return _run_isolated(workspace, store, named, terms, timeout, limits)
    if store is None:
        if workspace is None:
            raise KgError("say where to run the query: a workspace, a store or an endpoint")
        from kg.store.oxigraph import open_store

        store = open_store(Path(workspace), read_only=True)
    return run_local(store, named, terms, limits=limits)


def _run_isolated(workspace: Path | str | None, store: OxigraphStore | None, named: NamedQuery,
                  terms: Mapping[str, Term], timeout: float, limits: Limits) -> Result:
    """``run_local`` in a worker process, stopped after ``timeout`` seconds."""
    from kg.sparql.worker import Job, run_isolated
    from kg.workspace import Workspace

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
