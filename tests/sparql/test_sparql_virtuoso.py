"""Virtuoso 7.2 as kg meets it: the rows it drops from joined DISTINCT subqueries (kg rewrites
those queries for it) and the answers it cuts short (kg refuses to show them).

Each test runs on a real Virtuoso started by the fixtures (tests/servers.py).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from servers import Server, start_virtuoso, stop

sys.path.insert(0, str(Path(__file__).parent))

from test_sparql_remote import fresh_push, gsp, normal, sparql  # noqa: E402

from kg.api import query  # noqa: E402
from kg.errors import StoreError  # noqa: E402
from kg.sparql import Rows  # noqa: E402
from kg.sparql.scope import detach_subqueries  # noqa: E402
from kg.store.oxigraph import open_store  # noqa: E402
from kg.store.remote import Endpoint, push  # noqa: E402
from tests.store_helpers import replace_documents  # noqa: E402

pytestmark = pytest.mark.server

ID = "https://w3id.org/cluster-kg/id/"
HAS_MEMBER = ox.NamedNode("http://www.w3.org/ns/org#hasMember")
INITIATED_BY = ox.NamedNode("https://w3id.org/cluster-kg/ontology#initiatedBy")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def members_and_initiators(workspace: Path, *, orgs: int = 200, clusters: int = 60, members: int = 10,
                           initiators: int = 3, copies: int = 4) -> None:
    """A workspace where each cluster has ``members`` member organisations, the first
    ``initiators`` of them also its initiators, every fact (with the names) told by ``copies``
    documents: on a server that unions graphs itself each name and link is there ``copies``
    times, and an organisation's key repeats across the rows it is joined to."""
    rng = random.Random(7)
    graphs: list[tuple[ox.NamedNode, list[ox.Quad]]] = []
    facts: list[ox.Quad] = []
    for c in range(clusters):
        cluster = ox.NamedNode(f"{ID}cluster/c{c}")
        facts.append(ox.Quad(cluster, LABEL, ox.Literal(f"Кластер {c}", language="ru")))
        chosen = rng.sample(range(orgs), members)
        for link, who in ((HAS_MEMBER, chosen), (INITIATED_BY, chosen[:initiators])):
            for o in who:
                org = ox.NamedNode(f"{ID}org/o{o}")
                facts += [ox.Quad(cluster, link, org), ox.Quad(org, LABEL, ox.Literal(f"Организация {o}", language="ru"))]
    for n in range(copies):
        graphs.append((ox.NamedNode(f"{ID}doc/copy{n}"), facts))
    store = open_store(workspace)
    replace_documents(store, graphs)
    store.flush()


def test_virtuoso_distinct_subquery_keeps_rows_whose_key_repeats(virtuoso_server: Server, tmp_path: Path) -> None:
    """cluster-members on Virtuoso 7.2 lost initiator rows of organisations that are also members
    (its names come from DISTINCT subqueries joined to the links): here, and 3 of 7 rows of one
    organisation at 1,000 generated documents. kg detaches those subqueries for it."""
    members_and_initiators(tmp_path)
    fresh_push(tmp_path, virtuoso_server)
    store = open_store(tmp_path, read_only=True)
    local = query("cluster-members", store=store)
    assert isinstance(local, Rows) and len(local) == 60 * (10 + 3)
    remote = query("cluster-members", endpoint=sparql(virtuoso_server))
    assert isinstance(remote, Rows) and len(remote) == len(local)
    assert normal(remote) == normal(local)
    initiators = query("cluster-members", endpoint=sparql(virtuoso_server), params={"role": "initiator"})
    assert isinstance(initiators, Rows) and len(initiators) == 60 * 3


def test_virtuoso_rewrite_detaches_only_joined_distinct_subqueries() -> None:
    """What the rewrite changes: a DISTINCT or grouped subquery joined to other patterns gets a
    LIMIT; one alone in the query, a plain one, and one with a LIMIT or ORDER BY do not."""
    joined = "SELECT * WHERE { ?c ?l ?o { SELECT DISTINCT ?o ?n WHERE { ?o <urn:n> ?n } } }"
    assert detach_subqueries(joined) == (
        "SELECT * WHERE { ?c ?l ?o { SELECT DISTINCT ?o ?n WHERE { ?o <urn:n> ?n } LIMIT 100000000 } }")
    grouped = "SELECT * WHERE { VALUES ?o { <urn:a> } { SELECT ?o (COUNT(*) AS ?k) WHERE { ?o ?p ?x } GROUP BY ?o } }"
    assert "GROUP BY ?o LIMIT 100000000 }" in detach_subqueries(grouped)
    through_plain = ("SELECT * WHERE { ?c <urn:m> ?o { SELECT ?o (STR(?n) AS ?s) WHERE { "
                     "{ SELECT DISTINCT ?o ?n WHERE { ?o <urn:n> ?n } } } } }")
    assert "?n } LIMIT 100000000 }" in detach_subqueries(through_plain)
    for unchanged in ["SELECT * WHERE { { SELECT DISTINCT ?o WHERE { ?o ?p ?x } } FILTER(?o != <urn:a>) }",
                      "SELECT * WHERE { ?c ?l ?o { SELECT ?o ?n WHERE { ?o <urn:n> ?n } } }",
                      "SELECT * WHERE { ?c ?l ?o { SELECT DISTINCT ?o WHERE { ?o ?p ?x } LIMIT 5 } }",
                      "SELECT * WHERE { ?c ?l ?o { SELECT DISTINCT ?o WHERE { ?o ?p ?x } ORDER BY ?o } }",
                      "SELECT * WHERE { ?c ?l ?o FILTER NOT EXISTS { SELECT DISTINCT ?o WHERE { ?o ?p ?x } } }"]:
        assert detach_subqueries(unchanged) == unchanged


def test_virtuoso_rewrite_is_for_virtuoso_only(oxigraph_server: Server, tmp_path: Path) -> None:
    """Another server gets the query as written (Oxigraph answers it right): the text it is sent
    has no LIMIT added."""
    from kg.store import remote

    members_and_initiators(tmp_path, clusters=3, copies=2)
    fresh_push(tmp_path, oxigraph_server)
    sent: list[str] = []
    original = remote._send

    def spy(endpoint: Endpoint, text: str, *args: object) -> bytes:
        sent.append(text)
        return original(endpoint, text, *args)  # type: ignore[arg-type]

    remote._send = spy  # type: ignore[assignment]
    try:
        rows = query("cluster-members", endpoint=sparql(oxigraph_server))
    finally:
        remote._send = original  # type: ignore[assignment]
    assert isinstance(rows, Rows) and len(rows) == 3 * 13
    assert sent and "LIMIT" not in sent[-1]


# -- answers Virtuoso cuts short -------------------------------------------------------


@pytest.fixture(scope="module")
def small_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso with small limits: 5 rows an answer, 2 s a query, and the packaged cost estimate."""
    process, server = start_virtuoso(tmp_path_factory.mktemp("virtuoso-small"), {
        "ResultSetMaxRows": "5", "MaxQueryExecutionTime": "2", "MaxQueryCostEstimationTime": "400"})
    try:
        yield server
    finally:
        stop(process)


@pytest.fixture(scope="module")
def small_virtuoso_with_data(small_virtuoso: Server, tmp_path_factory: pytest.TempPathFactory) -> Server:
    workspace = tmp_path_factory.mktemp("limits")
    members_and_initiators(workspace)
    push(workspace, gsp(small_virtuoso), force=True)
    return small_virtuoso


# Three triples of one predicate, every way (some 10^10 rows to count): far more than 2 s of
# work, and estimated at less than 400 s; every triple against every other four times over is
# estimated at more.
LONG = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?p ?d . ?e ?p ?f }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }"


def test_virtuoso_answer_cut_at_its_row_limit_is_an_error(small_virtuoso_with_data: Server) -> None:
    endpoint = sparql(small_virtuoso_with_data)
    few = query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 4", endpoint=endpoint)
    assert isinstance(few, Rows) and len(few) == 4
    with pytest.raises(StoreError) as failure:
        query("SELECT ?s WHERE { ?s ?p ?o }", endpoint=endpoint)
    message = str(failure.value)
    assert "stopped the answer at its limit of 5 rows (X-SPARQL-MaxRows)" in message
    assert "ResultSetMaxRows" in message and "\n" not in message


def test_virtuoso_partial_anytime_answer_is_an_error(small_virtuoso_with_data: Server) -> None:
    """With a timeout parameter Virtuoso answers 200 with the rows found so far (an "anytime"
    answer, X-SQL-State S1TAT): kg says so and shows none of them."""
    endpoint = Endpoint(small_virtuoso_with_data.query_url + "?timeout=500", timeout=60, retries=0)
    with pytest.raises(StoreError) as failure:
        query(LONG, endpoint=endpoint)
    message = str(failure.value)
    assert "sent a partial answer, not shown (X-SQL-State S1TAT" in message
    assert "MaxQueryExecutionTime" in message and "\n" not in message


def test_virtuoso_query_over_its_time_limit_is_an_error(small_virtuoso_with_data: Server) -> None:
    endpoint = Endpoint(small_virtuoso_with_data.query_url, timeout=60, retries=2, backoff=0)
    with pytest.raises(StoreError) as failure:
        query(LONG, endpoint=endpoint)
    message = str(failure.value)
    assert "stopped the query at its time limit" in message and "MaxQueryExecutionTime" in message
    assert "attempts" not in message  # not retried: it would stop again


def test_virtuoso_refusal_by_cost_estimate_names_the_setting(small_virtuoso_with_data: Server) -> None:
    """Virtuoso refuses a query whose estimated cost is over MaxQueryCostEstimationTime (packaged:
    400 s; it refuses kg's rewritten queries too, at 1,000 documents): one line names the
    setting and the value kg needs, and the refusal is not retried."""
    endpoint = Endpoint(small_virtuoso_with_data.query_url, timeout=60, retries=2, backoff=0)
    with pytest.raises(StoreError) as failure:
        query(ENDLESS, endpoint=endpoint)
    message = str(failure.value)
    assert message.startswith(f"<query>: {endpoint.url} refused the query: Virtuoso's estimate of its cost "
                              "is over the limit of 400 s (MaxQueryCostEstimationTime")
    assert "0 turns the estimate off" in message and "attempts" not in message and "\n" not in message
