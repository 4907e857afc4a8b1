"""Safe parameter binding: values become RDF terms, never query text.

Locally the terms go to pyoxigraph as ``substitutions`` (SEP-0007), joined with the
answers. For a remote endpoint they become sameTerm tests, spelled out, on escaped N-Triples
terms, in a FILTER at the end of the outermost WHERE group (see ``with_values``).

>>> from kg.sparql.catalog import parse_query
>>> q = parse_query("# param: x string\\nSELECT ?x WHERE { ?s ?p ?x }")
>>> b = bind(q, {"x": 'a"} DROP ALL {'})
>>> print(with_values(q.text, b))
# param: x string
SELECT ?x WHERE { ?s ?p ?x 
  FILTER((isLiteral(?x) && STR(?x) = "a\\"} DROP ALL {" && LANG(?x) = "" && DATATYPE(?x) = <http://www.w3.org/2001/XMLSchema#string>))
}
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.errors import KgError
from kg.sparql.catalog import NamedQuery
from kg.sparql.scope import constrain_subqueries
from kg.sparql.terms import STANDARD_PREFIXES, XSD_STRING, Term, check_iri, parse_value


_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def bind(query: NamedQuery, params: Mapping[str, str | Term]) -> dict[str, Term]:
    """Check ``params`` against the query's declared parameters and parse them into terms.

    A query without a header (an ad hoc file) takes any of its variables; the value's
    form decides its type (``<iri>``, ``"text"@ru``, ``42``, else a string).
    """
    declared = {p.name: p for p in query.params}
    prefixes = {**STANDARD_PREFIXES, **query.prefixes}
    where = query.origin or query.name
    terms: dict[str, Term] = {}
    for name, value in params.items():
        if declared and name not in declared:
            choices = ", ".join(declared) or "none"
            raise KgError(f"{where}: unknown parameter {name!r}; this query takes: {choices}")
        if not declared and name not in variables(query.text):
            raise KgError(f"{where}: the query has no variable ?{name} to bind")
        if isinstance(value, Term):
            terms[name] = value
            continue
        if name in declared and declared[name].choices:
            value = _choice(declared[name].choices, value, f"{where}: parameter {name}")
        kind = declared[name].type if name in declared else "term"
        try:
            terms[name] = parse_value(value, kind, prefixes)
        except KgError as exc:
            raise KgError(f"{where}: parameter {name}: {exc}") from exc
    missing = [p.name for p in query.params if p.required and p.name not in terms]
    if missing:
        raise KgError(f"{where}: missing required parameter(s): {', '.join(missing)} "
                      f"(give them with --param NAME=VALUE)")
    return terms


def _choice(choices: tuple[str, ...], value: str, where: str) -> str:
    """``value`` as spelled in ``choices`` (any case); a KgError listing them when it is none."""
    for choice in choices:
        if choice.casefold() == value.strip().casefold():
            return choice
    raise KgError(f"{where}: {value!r} is not one of {', '.join(choices)}")


def variables(text: str) -> set[str]:
    """Names of the variables mentioned in a query text (comments included; a superset)."""
    return {m.group(1) for m in _VARIABLE.finditer(text)}


def values_clause(terms: Mapping[str, Term]) -> str:
    """A VALUES block binding ``terms``; empty when there is nothing to bind."""
    if not terms:
        return ""
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(term.n3() for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def filter_clause(terms: Mapping[str, Term]) -> str:
    """A FILTER keeping the solutions whose variables are exactly ``terms``.

    Each test compares lexical form, kind and language or datatype, which is
    ``sameTerm`` spelled out. Virtuoso 7.2 rewrites ``?v = X`` and ``sameTerm(?v, X)``
    into an assignment of ``?v`` and then answers wrongly when ``?v`` comes from a
    BIND or a subquery; it leaves these tests alone.
    """
    return f"FILTER({' && '.join(_same(name, term) for name, term in terms.items())})" if terms else ""


def _same(name: str, term: Term) -> str:
    lexical = Term("literal", term.value).n3()
    if term.type == "uri":  # STR(<iri>), not "iri": Virtuoso turns the latter into a wrong join
        return f"(isIRI(?{name}) && STR(?{name}) = STR({term.n3()}))"
    if term.type == "bnode":
        return f"(isBlank(?{name}) && STR(?{name}) = {lexical})"
    test = f"(isLiteral(?{name}) && STR(?{name}) = {lexical} && "
    if term.lang:
        return test + f"LANG(?{name}) = {Term('literal', term.lang).n3()})"
    if term.datatype:  # typed literals have no language (and Virtuoso mishandles LANG() on them)
        return test + f"DATATYPE(?{name}) = <{term.datatype}>)"
    return test + f'LANG(?{name}) = "" && DATATYPE(?{name}) = <{XSD_STRING}>)'


def with_values(text: str, terms: Mapping[str, Term], *, subqueries: bool = True) -> str:
    """The query text with ``terms`` bound, for an endpoint that gets text only.

    The terms go into a FILTER of sameTerm tests spelled out at the end of the outermost WHERE
    group: for parameters that every solution binds (the rule of named queries) this
    answers exactly as the join of pyoxigraph's substitutions, also where a parameter
    is computed by BIND (Virtuoso lets a trailing VALUES override a BIND). The subqueries
    that project a parameter and always bind it also get it, as a VALUES block at the start
    of their WHERE group (``kg.sparql.scope``), so that a server reads only the rows for it
    (unless ``subqueries`` is False: Virtuoso 7.2 answers those wrongly). A query
    with no group pattern (``DESCRIBE <iri>``) gets a trailing VALUES block instead.
    """
    if not terms:
        return text
    if subqueries:
        text = constrain_subqueries(text, terms)
    group = where_group(text)
    if group is not None:
        end = group[1]
        return f"{text[:end]}\n  {filter_clause(terms)}\n{text[end:]}"
    return f"{text.rstrip()}\n{values_clause(terms)}\n"


def where_group(text: str) -> tuple[int, int] | None:
    """``(start, end)`` of the outermost WHERE group (``{`` and ``}``), or None (``DESCRIBE <iri>``)."""
    groups = top_level_groups(text)
    if not groups:
        return None
    if len(groups) > 1 and _TRAILING_VALUES.search(text[: groups[-1][0]].rstrip()):
        return groups[-2]  # a trailing VALUES block
    return groups[-1]


def in_graph(text: str, graph: str) -> str | None:
    """The query with its WHERE group read from the named graph ``graph``: ``WHERE { GRAPH <g> { … } }``.

    Unlike ``FROM <g>`` (or the protocol's ``default-graph-uri``), which leaves a dataset
    with no named graphs at all, this keeps every named graph for the query's own
    ``GRAPH ?g`` patterns (an inner GRAPH overrides the outer one). None when the query
    has no group (``DESCRIBE <iri>``). No line break is added: line numbers stay.

    >>> print(in_graph("ASK { ?s ?p ?o }", "https://x/u"))
    ASK { GRAPH <https://x/u> { ?s ?p ?o } }
    """
    group = where_group(text)
    if group is None:
        return None
    start, end = group
    return f"{text[:start + 1]} GRAPH <{check_iri(graph)}> {{{text[start + 1:end]}}} {text[end:]}"


_TRAILING_VALUES = re.compile(r"\bVALUES\s*(\?\w+|\([^)]*\))\s*$", re.I)
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def top_level_groups(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each outermost ``{ ... }``: ``text[start] == "{"``, ``text[end] == "}"``.

    Skips comments, strings (short and long) and IRIs; a ``<`` that does not start an
    IRI is the less-than operator.
    """
    groups: list[tuple[int, int]] = []
    depth, start, i, n = 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif ch == "<":
            match = _IRI.match(text, i)
            if match:
                i = match.end() - 1
        elif ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                groups.append((start, i))
        i += 1
    return groups
