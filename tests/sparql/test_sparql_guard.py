"""kg.sparql.guard: what a query must pass before the engine sees it."""

from __future__ import annotations

import pytest

from kg.errors import QueryRefused
from kg.sparql import list_queries
from kg.sparql.guard import DEFAULT_LIMITS, Limits, check_query


def test_guard_passes_every_named_query() -> None:
    for named in list_queries():
        check_query(named.text)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1/> { }" }',
    "SELECT * WHERE { ?s ?p '''\nSERVICE <http://127.0.0.1/>\n''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1/> { }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX service: <http://example.org/>\nSELECT * WHERE { ?s service:x ?o }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:SERVICE ?o }",
    "SELECT * WHERE { ?s <http://example.org/#SERVICE> ?o }",
    'SELECT * WHERE { ?s ?p "a \\" SERVICE <http://x/> {}" }',
])
def test_guard_service_only_as_a_keyword(text: str) -> None:
    check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent <http://127.0.0.1:9/x> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<'2') SeRvIcE ?x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 'SERVICE' . SERVICE<http://127.0.0.1:9/x>{ ?s ?p ?o } }",
])
def test_guard_refuses_service_unless_allowed(text: str) -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE \(federated query\) at 1:\d+ is off"):
        check_query(text)
    check_query(text, Limits(allow_service=True))


def test_guard_depth_size_and_operators() -> None:
    limit = DEFAULT_LIMITS.max_depth
    check_query("SELECT * WHERE " + "{" * limit + "?s ?p ?o" + "}" * limit)
    with pytest.raises(QueryRefused, match=f"brackets nested {limit + 1} deep"):
        check_query("SELECT * WHERE " + "{" * (limit + 1) + "?s ?p ?o" + "}" * (limit + 1))
    with pytest.raises(QueryRefused, match="the query has 1,000,001 characters"):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * (1_000_001 - 27))
    # SELECT * WHERE { FILTER ( > are 7; a chain of n terms adds n - 1 '+'
    chain = DEFAULT_LIMITS.max_operators - 6
    check_query("SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * chain) + " > 0) }")
    with pytest.raises(QueryRefused, match="more than 1,500 keywords and operators"):
        check_query("SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * (chain + 1)) + " > 0) }")


def test_guard_long_lists_of_terms_pass() -> None:
    values = " ".join(f'(<http://example.org/{i}> "{i}"^^<http://www.w3.org/2001/XMLSchema#string> -{i})'
                      for i in range(5_000))
    check_query(f"SELECT * WHERE {{ VALUES (?s ?label ?n) {{ {values} }} ?s ?p ?o }}")
    check_query("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(map(str, range(50_000))) + ")) }")


def test_guard_names_where_the_query_came_from() -> None:
    with pytest.raises(QueryRefused, match=r"^my\.rq: SERVICE"):
        check_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", where="my.rq")
