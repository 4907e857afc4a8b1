"""kg push checks what the server holds before it trusts its journal (real Oxigraph and Virtuoso)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server

from kg.api import query
from kg.cli import cli
from kg.sparql import Rows
from kg.store.oxigraph import open_store
from kg.store.remote import UNION_GRAPH, Endpoint, gsp_request, query_url_of

pytestmark = pytest.mark.server
SERVERS = ["oxigraph_server", "virtuoso_server"]


def gsp(server: Server) -> Endpoint:
    return Endpoint(server.store_url, server.user, server.password, server.auth, timeout=30)


def push(server: Server, workspace: Path, *extra: str) -> tuple[int, str]:
    args = ["push", "-w", str(workspace), "--endpoint", server.store_url, *extra]
    if server.user:
        args += ["--user", server.user, "--password", server.password or "", "--auth", server.auth]
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stderr


def held(server: Server, graphs: list[str]) -> dict[str, int]:
    names = " ".join(f"<{g}>" for g in graphs)
    rows = query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                 "GROUP BY ?g", endpoint=Endpoint(server.query_url, server.user, server.password, server.auth))
    assert isinstance(rows, Rows)
    return {g.value: int(n.value) for g, n in rows.rows if g is not None and n is not None}


@pytest.mark.parametrize("server_name", SERVERS)
def test_push_check_journal_against_the_server(server_name: str, workspace: Path,
                                               request: pytest.FixtureRequest) -> None:
    """Issue 16: after a full push and DROP ALL on the server, `kg push` said "0 uploaded,
    3 unchanged" and left the server empty."""
    server: Server = request.getfixturevalue(server_name)
    graphs = open_store(workspace, read_only=True).documents()
    # kg's union graph: on Oxigraph put once, then unchanged (the documents' union is the same);
    # Virtuoso's default graph is the union of every graph already
    first, then = ("not needed", "not needed") if server.name == "virtuoso" else ("put", "unchanged")
    assert (push(server, workspace, "--force")) == (
        0, f"graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: {first}\n")
    full = held(server, graphs)
    assert sorted(full) == graphs
    assert push(server, workspace) == (0, f"graphs: 0 uploaded, 3 unchanged, 0 deleted; union graph: {then}\n")
    for graph in graphs:  # the server loses everything behind the journal's back
        gsp_request(gsp(server), "DELETE", graph)
    assert push(server, workspace) == (0, f"graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: {then}\n")
    assert held(server, graphs) == full
    # one graph gone, one with a triple more: those two go up again, the third is left alone
    gsp_request(gsp(server), "DELETE", graphs[0])
    gsp_request(gsp(server), "POST", graphs[1],
                b"<http://example.org/x> <http://example.org/y> <http://example.org/z> .\n")
    assert push(server, workspace) == (0, f"graphs: 2 uploaded, 1 unchanged, 0 deleted; union graph: {then}\n")
    assert held(server, graphs) == full
    if server.name != "virtuoso":  # the union graph lost behind the journal's back goes up again
        gsp_request(gsp(server), "DELETE", UNION_GRAPH)
        assert push(server, workspace) == (0, "graphs: 0 uploaded, 3 unchanged, 0 deleted; union graph: put\n")


def test_push_query_url_beside_the_store_url() -> None:
    assert query_url_of("http://127.0.0.1:7878/store") == "http://127.0.0.1:7878/query"
    assert query_url_of("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql-auth"
    assert query_url_of("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
    assert query_url_of("http://h:3030/ds/data") == "http://h:3030/ds/query"
    assert query_url_of("http://h/rdf4j-server/repositories/kg/rdf-graphs/service") == \
        "http://h/rdf4j-server/repositories/kg"
    assert query_url_of("http://h/custom/gsp") is None


def test_push_unknown_query_url_is_one_line(workspace: Path, tmp_path: Path) -> None:
    """A Graph Store URL whose query URL cannot be guessed needs --query-endpoint once there is a
    journal to check (no request is made before that is said)."""
    from kg.store.remote import journal_path

    url = "http://127.0.0.1:9/custom/gsp"
    journal = journal_path(workspace, Endpoint(url))
    journal.parent.mkdir(parents=True)
    journal.write_text('{"endpoint": "%s", "graphs": {"https://w3id.org/cluster-kg/id/doc/f01": "ab"}}' % url)
    result = CliRunner().invoke(cli, ["push", "-w", str(workspace), "--endpoint", url])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {url}: cannot tell this server's SPARQL query URL, needed to check what it holds before "
           "skipping graphs; pass it to kg push --query-endpoint (or push with --force)\n")


def test_push_query_endpoint_option(workspace: Path, oxigraph_server: Server) -> None:
    for graph in open_store(workspace, read_only=True).documents():
        gsp_request(gsp(oxigraph_server), "DELETE", graph)
    assert push(oxigraph_server, workspace, "--force") == (
        0, "graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: put\n")
    assert push(oxigraph_server, workspace, "--query-endpoint", oxigraph_server.query_url) == (
        0, "graphs: 0 uploaded, 3 unchanged, 0 deleted; union graph: unchanged\n")
