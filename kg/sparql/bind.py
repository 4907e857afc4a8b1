"""Safe parameter binding: values become RDF terms, never query text.

Locally the terms go to pyoxigraph as ``substitutions`` (SEP-0007). For a remote
endpoint they become a trailing ``VALUES`` block of escaped N-Triples terms, which
SPARQL joins with the answers exactly as the substitution does.

>>> from kg.sparql.catalog import parse_query
>>> q = parse_query("# param: x string\\nSELECT ?x WHERE { ?s ?p ?x }")
>>> b = bind(q, {"x": 'a"} DROP ALL {'})
>>> print(values_clause(b))
VALUES (?x) { ("a\\"} DROP ALL {") }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from kg.errors import KgError
from kg.sparql.catalog import NamedQuery
from kg.sparql.terms import STANDARD_PREFIXES, Term, parse_value


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


def variables(text: str) -> set[str]:
    """Names of the variables mentioned in a query text (comments included; a superset)."""
    return {m.group(1) for m in _VARIABLE.finditer(text)}


def values_clause(terms: Mapping[str, Term]) -> str:
    """A trailing VALUES block binding ``terms``; empty when there is nothing to bind."""
    if not terms:
        return ""
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(term.n3() for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def with_values(text: str, terms: Mapping[str, Term], *, form: str = "SELECT") -> str:
    """The query text with a trailing VALUES block (after a newline, so comments end first).

    For ASK (where some servers, e.g. Virtuoso, refuse a trailing VALUES) the block
    opens the WHERE group instead, which for ASK means the same.
    """
    clause = values_clause(terms)
    if not clause:
        return text
    if form == "ASK":
        brace = first_brace(text)
        if brace >= 0:
            return f"{text[:brace + 1]}\n  {clause}\n{text[brace + 1:]}"
    return f"{text.rstrip()}\n{clause}\n"


def first_brace(text: str) -> int:
    """Index of the first ``{`` outside comments and IRIs (the prologue has no strings)."""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif ch == "<":
            end = text.find(">", i)
            i = len(text) if end < 0 else end
        elif ch == "{":
            return i
        i += 1
    return -1
