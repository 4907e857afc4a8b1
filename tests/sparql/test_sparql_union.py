"""Never-silent remote answers: kg push keeps a union graph, kg query reads it, and warns when a
server's default graph is empty while named graphs hold data (real Oxigraph and Virtuoso servers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server

from kg.cli import cli
from kg.api import query
from kg.sparql import Rows
from kg.store.oxigraph import open_store
from kg.store.remote import UNION_GRAPH, EmptyDefaultGraph, Endpoint, gsp_request, push

pytestmark = pytest.mark.server

DOC_BASE = "https://w3id.org/cluster-kg/id/doc/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def gsp(server: Server) -> Endpoint:
    return Endpoint(server.store_url, server.user, server.password, server.auth)


def sparql(server: Server, default_graph: str = "auto") -> Endpoint:
    return Endpoint(server.query_url, server.user, server.password, server.auth, default_graph=default_graph)


def empty(server: Server) -> None:
    """Delete every graph kg may have put on the shared server (documents and the union)."""
    rows = query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=sparql(server, "server"))
    assert isinstance(rows, Rows)
    for (graph,) in rows:
        if graph is not None and (graph.value.startswith(DOC_BASE) or graph.value == UNION_GRAPH):
            gsp_request(gsp(server), "DELETE", graph.value)


def count(server: Server, endpoint: Endpoint | None = None) -> int:
    rows = query(COUNT, endpoint=endpoint or sparql(server))
    assert isinstance(rows, Rows) and rows.rows[0][0] is not None
    return int(rows.rows[0][0].value)


def test_union_count_is_the_local_union(oxigraph_plain_server: Server, workspace: Path) -> None:
    """On a stock Oxigraph server COUNT(*) reads kg's union graph, not the empty default graph."""
    server = oxigraph_plain_server
    empty(server)
    local = len(list(open_store(workspace, read_only=True).triples()))
    report = push(workspace, gsp(server), force=True)
    assert report.union == "put"
    assert count(server) == local
    assert count(server, sparql(server, "server")) == 0  # what a query read before
    assert count(server, sparql(server, UNION_GRAPH)) == local


def test_union_not_needed_on_virtuoso(virtuoso_server: Server, workspace: Path) -> None:
    """Virtuoso's default graph is every graph's union already: no union graph by default (it would
    be counted twice, and Virtuoso 7.2 loses rows reading a named graph); asked for, it is there."""
    server = virtuoso_server
    empty(server)
    assert push(workspace, gsp(server), force=True).union == "not needed"
    rows = query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1", endpoint=sparql(server, UNION_GRAPH))
    assert isinstance(rows, Rows)
    assert count(server, sparql(server, UNION_GRAPH)) == 0  # no such graph
    local = len(list(open_store(workspace, read_only=True).triples()))
    assert push(workspace, gsp(server), force=True, union=True).union == "put"
    assert count(server, sparql(server, UNION_GRAPH)) == local  # its own system graphs left out
    gsp_request(gsp(server), "DELETE", UNION_GRAPH)


def test_union_follows_every_push(oxigraph_plain_server: Server, workspace: Path) -> None:
    server = oxigraph_plain_server
    empty(server)
    store = open_store(workspace)
    assert push(workspace, gsp(server), store=store, force=True).union == "put"
    assert push(workspace, gsp(server), store=store).union == "unchanged"
    assert store.remove_document(DOC_BASE + "f03")
    report = push(workspace, gsp(server), store=store)
    assert (report.deleted, report.union) == ([DOC_BASE + "f03"], "put")
    assert count(server) == len(list(store.triples()))
    journal = json.loads(next((workspace / "push").glob("*.json")).read_text(encoding="utf-8"))
    assert set(journal["graphs"]) == {DOC_BASE + "f01", DOC_BASE + "f02"} and len(journal["union"]["sha256"]) == 64
    assert journal["union"]["triples"] == len(list(store.triples()))


def test_union_off_warns_that_the_default_graph_is_empty(oxigraph_plain_server: Server, workspace: Path) -> None:
    server = oxigraph_plain_server
    empty(server)
    report = push(workspace, gsp(server), force=True, union=False)
    assert report.union == "off" and len(report.put) == 3
    with pytest.warns(EmptyDefaultGraph, match="the default graph is empty while named graphs hold data"):
        rows = query("documents", endpoint=sparql(server))
    assert isinstance(rows, Rows) and len(rows) == 0


def test_union_cli_push_and_query(oxigraph_plain_server: Server, workspace: Path) -> None:
    server = oxigraph_plain_server
    empty(server)
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "-w", str(workspace), "--endpoint", server.store_url, "--force", "--no-union"])
    assert (pushed.exit_code, pushed.stderr) == (0, "graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: off\n")
    silent = runner.invoke(cli, ["query", "documents", "--endpoint", server.query_url, "-f", "csv"])
    assert silent.exit_code == 0 and silent.stdout.strip() == "doc,doc_id,date,title,source,length"
    assert silent.stderr.startswith(f"Warning: {server.query_url}: the default graph is empty while named graphs")
    assert silent.stderr.count("\n") == 1
    pushed = runner.invoke(cli, ["push", "-w", str(workspace), "--endpoint", server.store_url])
    assert (pushed.exit_code, pushed.stderr) == (0, "graphs: 0 uploaded, 3 unchanged, 0 deleted; union graph: put\n")
    answered = runner.invoke(cli, ["query", "documents", "--endpoint", server.query_url, "-f", "csv"])
    assert (answered.exit_code, answered.stderr) == (0, "")
    assert len(answered.stdout.strip().splitlines()) == 4
    as_server = runner.invoke(cli, ["query", "documents", "--endpoint", server.query_url, "-f", "csv",
                                    "--default-graph", "server"])  # asked for: no union, no warning
    assert (as_server.exit_code, as_server.stderr, len(as_server.stdout.strip().splitlines())) == (0, "", 1)


def test_union_bad_default_graph_is_an_error() -> None:
    result = CliRunner().invoke(cli, ["query", "documents", "--endpoint", "http://127.0.0.1:9/query",
                                      "--default-graph", "not an iri"])
    assert (result.exit_code, result.stderr) == (1, "Error: not an absolute IRI: 'not an iri'\n")
