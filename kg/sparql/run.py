"""Run a named query on a workspace's store or on a remote endpoint.

``query()`` is the Python API (re-exported as ``kg.query``): SELECT gives ``Rows``,
ASK a ``bool``, CONSTRUCT and DESCRIBE a Turtle ``str``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import KgError, QuerySyntaxError
from kg.sparql.bind import bind
from kg.sparql.catalog import NamedQuery, load_query, parse_query
from kg.sparql.rows import Rows
from kg.sparql.terms import STANDARD_PREFIXES, Term, literal

if TYPE_CHECKING:
    from kg.store.oxigraph import OxigraphStore
    from kg.store.remote import Endpoint

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


def run_local(store: OxigraphStore, query: NamedQuery, terms: Mapping[str, Term]) -> Result:
    """Run ``query`` on the embedded store, ``terms`` bound by substitution."""
    substitutions = {ox.Variable(name): to_ox(term) for name, term in terms.items()}
    where = query.origin or query.name
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
) -> Result:
    """Run a named query (or an ``.rq`` path, or query text) with bound parameters.

    Exactly one of ``workspace``, ``store`` or ``endpoint`` says where to run it.
    """
    named = resolve(query)
    terms = bind(named, params or {})
    if endpoint is not None:
        from kg.store.remote import Endpoint, run_remote

        target = endpoint if isinstance(endpoint, Endpoint) else Endpoint(endpoint)
        return run_remote(target, named, terms)
    if store is None:
        if workspace is None:
            raise KgError("say where to run the query: a workspace, a store or an endpoint")
        from kg.store.oxigraph import open_store

        store = open_store(Path(workspace), read_only=True)
    return run_local(store, named, terms)
