"""kg.sparql.scope: a parameter bound for a server also constrains the subqueries where that is exact."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.sparql import Term
from kg.sparql.bind import with_values
from kg.sparql.catalog import load_query
from kg.sparql.scope import constrain_subqueries

A = Term("uri", "https://x/a")
VALUES_A = "VALUES ?s { <https://x/a> }"

# (query, how many subqueries get ?s bound)
CASES = [
    # projected plainly and bound by a triple pattern: constrained
    ("SELECT ?s ?o WHERE { ?s ?p ?o { SELECT DISTINCT ?s WHERE { ?s ?q ?x } } }", 1),
    # nested: both levels project ?s
    ("SELECT ?s WHERE { { SELECT ?s ?d WHERE { { SELECT DISTINCT ?s ?d WHERE { GRAPH ?d { ?s ?p ?o } } } "
     "?d ?r ?z } } }", 2),
    # inside OPTIONAL and GRAPH: still exact
    ("SELECT ?s ?n WHERE { ?s ?p ?o OPTIONAL { GRAPH ?g { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?q ?x } "
     "GROUP BY ?s } } } }", 1),
    # the subquery does not project ?s: its ?s is another variable
    ("SELECT ?s ?n WHERE { ?s ?p ?o { SELECT (COUNT(*) AS ?n) WHERE { ?s ?q ?x } } }", 0),
    # ... nor does the one around it
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?n WHERE { { SELECT ?s ?n WHERE { ?s ?q ?n } } } } }", 0),
    # LIMIT or OFFSET picks other rows once constrained
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?x } ORDER BY ?x LIMIT 5 } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?q ?x } OFFSET 1 } }", 0),
    # computed, not projected plainly
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT (?x AS ?s) WHERE { ?y ?q ?x } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s WHERE { ?y ?q ?x BIND(?x AS ?s) } } }", 0),
    # not bound in every row of the subquery
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { ?y ?q ?x OPTIONAL { ?s ?r ?x } } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { { ?s ?q ?x } UNION { ?y ?q ?x } } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { { ?s ?q ?x } UNION { ?y ?q ?x } UNION { ?s ?r ?x } } } }", 0),
    # every branch of the UNION binds it
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { { ?s ?q ?x } UNION { ?x ?q ?s } UNION { GRAPH ?g { ?s ?r ?x } } } } }", 1),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { ?x ?p ?x OPTIONAL { ?s ?q ?x } { ?s ?r ?x } UNION { ?x ?r ?x } } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { ?y ?q ?x FILTER(?x != ?s) } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?s ?x WHERE { VALUES ?s { UNDEF } ?y ?q ?x } } }", 0),
    # MINUS and EXISTS compare rows without joining them
    ("SELECT ?s WHERE { ?s ?p ?o MINUS { { SELECT ?s WHERE { ?s ?q ?x } } } }", 0),
    ("SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { { SELECT ?s WHERE { ?s ?q ?x } } } }", 0),
    # braces in strings, IRIs and comments are not groups
    ('SELECT ?s WHERE { ?s ?p "{ SELECT ?s WHERE {" # { SELECT ?s WHERE { ?s ?p ?o } }\n'
     " { SELECT ?s WHERE { ?s <https://x/q> ?x FILTER(?x != \"}\") } } }", 1),
]


@pytest.mark.parametrize(("text", "constrained"), CASES)
def test_scope_constrains_only_where_exact(text: str, constrained: int) -> None:
    bound = constrain_subqueries(text, {"s": A})
    assert bound.count(VALUES_A) == constrained
    assert bound.replace(f" {VALUES_A}", "") == text
    ox.Store().query(bound)  # still a query


@pytest.mark.parametrize(("text", "constrained"), CASES)
def test_scope_answers_as_the_final_filter_alone(text: str, constrained: int) -> None:
    """On a small graph, the query with the subqueries constrained answers as without."""
    store = ox.Store()
    x = "https://x/"
    for s, p, o in [("a", "p", "b"), ("b", "p", "a"), ("a", "q", "c"), ("b", "q", "c"), ("c", "r", "a")]:
        store.add(ox.Quad(ox.NamedNode(x + s), ox.NamedNode(x + p), ox.NamedNode(x + o), ox.NamedNode(x + "g")))
    store.add(ox.Quad(ox.NamedNode(x + "a"), ox.NamedNode(x + "q"), ox.NamedNode(x + "c")))
    store.add(ox.Quad(ox.NamedNode(x + "b"), ox.NamedNode(x + "q"), ox.NamedNode(x + "a")))
    before = with_values(text, {"s": A}).replace(f" {VALUES_A}", "")
    after = with_values(text, {"s": A})

    def rows(q: str) -> list[str]:
        return sorted(str(list(row)) for row in store.query(q))  # type: ignore[union-attr]
    assert rows(after) == rows(before)


def test_scope_triple_sources_fixes_the_subject_in_every_subquery() -> None:
    """The bound text for a server reads only the subject's documents: each subquery that lists
    subjects and documents gets the subject (before, only the final FILTER had it, and a server
    read every subject of the store: no answer within 120 s at 1,000 documents)."""
    query = load_query("triple-sources")
    text = with_values(query.text, {"subject": A})
    heads = [m.start() for m in re.finditer(r"\{ SELECT", text)]
    assert len(heads) == 4
    for head in heads:
        where = text.index("WHERE {", head) + len("WHERE {")
        assert text[where:].startswith(" VALUES ?subject { <https://x/a> }"), text[head:where + 60]


@pytest.mark.parametrize(("product", "binds"), [
    ("Oxigraph/0.5.13", True), ("", True), ("Apache Jena Fuseki (5.1.0)", True),
    ("Virtuoso/07.20.3237 (Linux) x86_64-ubuntu-linux-gnu", False)])
def test_scope_not_on_virtuoso(product: str, binds: bool) -> None:
    from kg.store.remote import binds_in_subqueries

    assert binds_in_subqueries(product) is binds
