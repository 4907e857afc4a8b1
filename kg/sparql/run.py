"""Running a named query: on anything that runs one (a ``QueryTarget``), and on pyoxigraph.

Answers are a ``Result``: SELECT gives ``Rows``, ASK a ``bool``, CONSTRUCT and DESCRIBE
``Turtle`` (a ``str`` of Turtle text with ``triples()``, ``serialize()`` and ``to_networkx()``).
Targets are the workspace's store (``kg.store.oxigraph.OxigraphStore.run``) and a remote endpoint (``kg.store.remote.Endpoint.run``); ``kg.query`` (``kg.api.query``)
picks one. This package never imports ``kg.store``: the store depends on it, not the reverse.
``to_ox``/``from_ox`` are kg's one conversion of query terms (``Term``) to and from pyoxigraph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

import pyoxigraph as ox

from kg.errors import KgError, QuerySyntaxError
from kg.sparql.bind import bind
from kg.sparql.catalog import NamedQuery, load_query, parse_query
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query
from kg.sparql.graph import Turtle
from kg.sparql.rows import Rows
from kg.sparql.syntax import missing_prefixes, prefix_error, readable
from kg.sparql.terms import STANDARD_PREFIXES, Term, literal

Result = Rows | bool | Turtle
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class QueryTarget(Protocol):
    """Where a query runs: the embedded store or a remote endpoint."""

    def run(self, query: NamedQuery, terms: Mapping[str, Term]) -> Result:
        """Answer ``query`` with ``terms`` bound to its parameters."""


class SparqlStore(Protocol):
    """What ``run_local`` needs of a store: pyoxigraph's SPARQL over its (union) default graph."""

    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, OxTerm] | None = None,
              prefixes: Mapping[str, str] | None = None) -> OxResult: ...

_LOCATION = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?:?\s*(.*)", re.S)


def to_ox(term: Term) -> OxTerm:
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


def value(term: object) -> str:
    """The value (IRI, lexical form, blank node id) of a bound term of a pyoxigraph solution."""
    if not isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        raise KgError(f"expected a bound RDF term, not {term!r}")
    return term.value


def resolve(query: str | NamedQuery) -> NamedQuery:
    """A NamedQuery from a name, an ``.rq`` path or the text of a query."""
    if isinstance(query, NamedQuery):
        return query
    if any(ch in query for ch in "{\n"):
        return parse_query(query, name="query", origin="<query>")
    return load_query(query)


def syntax_error(exc: Exception, origin: str, text: str = "") -> QuerySyntaxError:
    """A one-line QuerySyntaxError ``origin:line:column: message`` from a pyoxigraph SyntaxError."""
    message = str(exc)
    match = _LOCATION.search(message)
    if not match:
        return QuerySyntaxError(f"{origin}: {' '.join(message.split())}")
    line, column = int(match[1]), int(match[2])
    return QuerySyntaxError(f"{origin}:{line}:{column}: {readable(match[3], text, line, column)}")


def check_prefixes(query: NamedQuery) -> None:
    """Raise a one-line QuerySyntaxError when the query uses a prefix declared nowhere."""
    problem = prefix_error(query.text)
    if problem:
        raise QuerySyntaxError(f"{query.origin or query.name}:{problem}")


def run_local(store: SparqlStore, query: NamedQuery, terms: Mapping[str, Term], *,
              limits: Limits = DEFAULT_LIMITS) -> Result:
    """Run ``query`` on the embedded store, ``terms`` bound by substitution.

    The query is checked first (``kg.sparql.guard``): too large, too deep or
    federated without ``limits.allow_service`` raises QueryRefused.
    """
    substitutions = {ox.Variable(name): to_ox(term) for name, term in terms.items()}
    where = query.origin or query.name
    check_query(query.text, limits, where)
    check_prefixes(query)
    try:
        result = store.query(query.text, substitutions=substitutions,
                             prefixes=missing_prefixes(query.text))
    except SyntaxError as exc:
        raise syntax_error(exc, where, query.text) from exc
    except (RuntimeError, ValueError, OSError) as exc:
        raise KgError(f"{where}: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows = tuple(tuple(None if s[n] is None else from_ox(s[n]) for n in names) for s in result)
        return Rows(names, rows)
    # Each triple once, however many solutions build it (as a server's Turtle answer after parse_turtle).
    return to_turtle(dict.fromkeys(result), query.prefixes)


def to_turtle(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> Turtle:
    """Turtle of ``triples`` with the query's prefixes and ours."""
    # Instance IRIs have slashes after the base, which Turtle would escape (id:org\/x): no id: prefix.
    known = {k: v for k, v in {**STANDARD_PREFIXES, **prefixes}.items() if k != "id"}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=known)
    return Turtle(data.decode("utf-8") if data else "")


def parse_turtle(text: str) -> list[ox.Triple]:
    """Triples of a Turtle (or N-Triples) document sent by a server."""
    try:
        return list(dict.fromkeys(q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)))
    except SyntaxError as exc:
        raise KgError(f"the endpoint sent Turtle that does not parse: {exc}") from exc


def run(query: str | NamedQuery, target: QueryTarget, params: Mapping[str, str | Term] | None = None) -> Result:
    """Run a named query (or an ``.rq`` path, or query text) on ``target``, ``params`` bound."""
    named = resolve(query)
    return target.run(named, bind(named, with_entities(named, params, lambda: runner(target))))


def with_entities(named: NamedQuery, params: Mapping[str, str | Term] | None,
                  run: Callable[[], Callable[[str], Rows]]) -> dict[str, str | Term]:
    """``params`` with names given to entity parameters (``of CLASS``) replaced by the entities
    they name (``kg.sparql.names``); ``run()`` gives the runner of the look-up queries and is
    called only when there is a name to look up."""
    from kg.sparql.names import resolve_names

    return resolve_names(named.params, params or {}, run, named.origin or named.name)


def runner(target: QueryTarget) -> Callable[[str], Rows]:
    """Run SELECT text on ``target``: what ``kg.sparql.names`` looks names up with."""
    return lambda text: _rows(target.run(parse_query(text, name="names", origin="<names>"), {}))


def _rows(result: Result) -> Rows:
    if not isinstance(result, Rows):
        raise KgError(f"expected the rows of a SELECT query, got {type(result).__name__}")
    return result


def find(text: str, target: QueryTarget, classes: Iterable[str] = ()) -> Rows:
    """Every entity ``text`` names on ``target`` (label or other name; case, ё and word endings
    ignored), best match first, each once: ``entity``, ``label``, ``class``, ``match`` (exact,
    inflected, partial, prefix). ``classes``: class names (``Cluster``) or IRIs to keep to;
    every entity class by default."""
    from kg.sparql.names import find_rows
    from kg.vocab import CKG_NS, ENTITY_CLASSES

    known = {c.name.lower(): c.iri for c in ENTITY_CLASSES}
    wanted = []
    for cls in classes:
        iri = known.get(cls.lower(), cls if cls.startswith(CKG_NS) else None)
        if iri is None:
            raise KgError(f"unknown class {cls!r}; choose one of {', '.join(c.name for c in ENTITY_CLASSES)}")
        wanted.append(iri)
    return find_rows(text, wanted, runner(target))
