"""Hostile queries: each vector grows one construct that Oxigraph handles recursively.

Sizes are measured against pyoxigraph 0.5 in a process of its own (8 MiB stack):
``CRASH`` is the smallest count seen to abort the engine (stack overflow, SIGSEGV)
for that vector; vectors without a count only grow slow (planning time).
"""

from __future__ import annotations

from collections.abc import Callable

from kg.errors import QueryRefused
from kg.sparql.guard import check_query

P = "<http://example.org/p>"

VECTORS: dict[str, Callable[[int], str]] = {
    "braces": lambda n: "SELECT * WHERE " + "{" * n + "?s ?p ?o" + "}" * n,
    "parentheses": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }",
    "plus": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * n) + " > 0) }",
    "or": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o = 1"] * n) + ") }",
    "not": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "true) }",
    "union": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
    "subselect": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{ ?s ?p ?o }" + " }" * n,
    "bind": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?b{i})" for i in range(n)) + " }",
    "minus": lambda n: "SELECT * WHERE { ?s ?p ?o " + f"MINUS {{ ?s {P} ?o }} " * n + "}",
    "filters": lambda n: "SELECT * WHERE { ?s ?p ?o " + "FILTER(?o != 1) " * n + "}",
    "aggregates": lambda n: "SELECT " + " ".join(f"(SAMPLE(?o) AS ?v{i})" for i in range(n))
                            + " WHERE { ?s ?p ?o }",
    "path-sequence": lambda n: "SELECT * WHERE { ?s " + "/".join([P] * n) + " ?o }",
    "path-alternative": lambda n: "SELECT * WHERE { ?s " + "|".join([P] * n) + " ?o }",
    "triple-patterns": lambda n: "SELECT * WHERE { " + " . ".join(f"?s{i} {P} ?o{i}" for i in range(n)) + " }",
    "optional": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join(f"OPTIONAL {{ ?s {P} ?o{i} }}"
                                                               for i in range(n)) + " }",
    "blank-nodes": lambda n: f"SELECT * WHERE {{ ?s {P} " + f"[ {P} " * n + "?o" + " ]" * n + " }",
}
CRASH = {"braces": 3000, "parentheses": 10_000, "plus": 10_000, "or": 10_000, "not": 10_000,
         "union": 10_000, "subselect": 3000, "bind": 3000, "minus": 3000, "filters": 10_000,
         "aggregates": 3000, "path-alternative": 30_000}


def accepted(query: str) -> bool:
    try:
        check_query(query)
    except QueryRefused:
        return False
    return True


def largest_accepted(vector: Callable[[int], str]) -> int:
    """The largest n whose query the guard lets through (binary search)."""
    low, high = 1, 100_000
    assert accepted(vector(low)) and not accepted(vector(high))
    while high - low > 1:
        middle = (low + high) // 2
        if accepted(vector(middle)):
            low = middle
        else:
            high = middle
    return low
