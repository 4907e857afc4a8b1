"""Own queries made easy: the project's prefixes predefined, parser errors as one line,
CONSTRUCT/ASK output formats, pandas and networkx from answers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import Server

from kg.cli import cli
from kg.errors import KgError, QuerySyntaxError
from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.api import query
from kg.sparql import Rows, Turtle
from kg.sparql.terms import STANDARD_PREFIXES
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import Endpoint, push

MINT = IriMinter()
NANOLEK = MINT.entity(Kind.COMPANY, "нанолек")
URALMET = MINT.entity(Kind.COMPANY, "уралмет")
PHARMA = "https://w3id.org/cluster-kg/id/cluster/farmatsevticheskii-klaster-kaluzhskoi-oblasti-f2ad744c"
# No PREFIX line: ckg, org and rdfs are the project's.
BARE = "SELECT ?org ?name WHERE { ?c a ckg:Cluster ; org:hasMember ?org . ?org rdfs:label ?name } ORDER BY ?org"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout.replace("\r\n", "\n"), result.stderr


def test_own_queries_project_prefixes_need_no_declaration(fixture_store: OxigraphStore) -> None:
    rows = query(BARE, store=fixture_store)
    assert isinstance(rows, Rows)
    assert (NANOLEK, "Нанолек") in {(r[0].value, r[1].value) for r in rows if r[0] and r[1]}


def test_own_queries_every_listed_prefix_is_known(fixture_store: OxigraphStore) -> None:
    wanted = {"ckg", "org", "rdfs", "skos", "prov", "nif", "itsrdf", "dcterms", "owl", "xsd", "id"}
    assert wanted <= set(STANDARD_PREFIXES)
    text = "SELECT * WHERE { VALUES ?x { " + " ".join(f"{p}:x" for p in sorted(wanted)) + " } }"
    rows = query(text, store=fixture_store)
    assert isinstance(rows, Rows)
    assert sorted(r[0].value for r in rows if r[0]) == sorted(STANDARD_PREFIXES[p] + "x" for p in wanted)


def test_own_queries_a_declared_prefix_wins(fixture_store: OxigraphStore) -> None:
    rows = query("PREFIX rdfs: <https://example.org/> SELECT ?x WHERE { BIND(rdfs:label AS ?x) }", store=fixture_store)
    assert isinstance(rows, Rows) and rows.rows[0][0].value == "https://example.org/label"  # type: ignore[union-attr]


def test_own_queries_undefined_prefix_is_one_line(fixture_store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        query("SELECT * WHERE {\n  ?s foaf:name ?n ;\n     ex:knows ?o }", store=fixture_store)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("<query>:3:6: undefined prefix 'ex:'; declare it with PREFIX ex: <…>, or use one of")


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMT 5", "<query>:1:35: syntax error at the end of the query; expected HAVING"),
    ("SELECT * WHERE { ?s <a b> ?o }", '<query>:1:26: invalid IRI near "?o }"'),
    ('SELECT * WHERE { ?s ?p "open }', "<query>:1:24: a string opened here is not closed"),
    ("SELECT * WHERE { ?s ?p ?o ", "<query>:1:27: syntax error at the end of the query; expected"),
])
def test_own_queries_parser_errors_are_one_readable_line(fixture_store: OxigraphStore, text: str,
                                                          expected: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        query(text, store=fixture_store)
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message and "\\u{" not in message and len(message) < 200


def test_own_queries_cli_error_is_one_line(workspace: Path) -> None:
    code, out, err = run("query", "-", "-w", str(workspace), stdin="SELECT * WHERE { ?s ex:p ?o }")
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("Error: <stdin>:1:21: undefined prefix 'ex:'")


def test_own_queries_cli_construct_formats(workspace: Path) -> None:
    code, out, _ = run("query", "co-membership-network", "-w", str(workspace), "-f", "nt")
    assert code == 0
    assert f"<{NANOLEK}> <http://www.w3.org/ns/org#linkedTo> <{URALMET}> .\n" in out
    code, out, _ = run("query", "co-membership-network", "-w", str(workspace), "-f", "jsonld")
    assert code == 0
    nodes = {node["@id"]: node for node in json.loads(out)["@graph"]}
    assert URALMET in nodes[NANOLEK]["linkedTo"] and nodes[NANOLEK]["label"] == "Нанолек"


def test_own_queries_cli_ask_json(workspace: Path) -> None:
    code, out, _ = run("query", "-", "-w", str(workspace), "-f", "json", stdin="ASK { ?c a ckg:Cluster }")
    assert (code, json.loads(out)) == (0, {"head": {}, "boolean": True})


@pytest.mark.parametrize(("ref", "fmt", "message"), [
    ("region-has-cluster", "csv", "Error: an ASK answer prints as table (true or false) or json, not csv\n"),
    ("co-membership-network", "md", "Error: a CONSTRUCT answer (a graph) prints as turtle, nt, jsonld, not md\n"),
    ("documents", "jsonld", "Error: a SELECT answer (a table) prints as table, csv, tsv, json, md, not jsonld\n"),
])
def test_own_queries_cli_format_that_does_not_fit(workspace: Path, ref: str, fmt: str, message: str) -> None:
    code, out, err = run("query", ref, "-w", str(workspace), "-f", fmt)  # before the query runs: no -p region
    assert (code, out, err) == (1, "", message)


def test_own_queries_rows_to_pandas(fixture_store: OxigraphStore) -> None:
    rows = query("organisations-in-several-clusters", store=fixture_store)
    assert isinstance(rows, Rows)
    frame = rows.to_pandas()
    assert list(frame.columns) == ["org", "org_name", "clusters"]
    assert frame.to_dict("records") == rows.as_dicts()
    assert frame["clusters"].dtype.kind == "i"


def test_own_queries_to_pandas_without_pandas(fixture_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = query("documents", store=fixture_store)
    assert isinstance(rows, Rows)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(KgError, match=r"needs pandas, which is not installed: pip install 'kg\[notebook\]'"):
        rows.to_pandas()


def test_own_queries_construct_to_networkx(fixture_store: OxigraphStore) -> None:
    answer = query("co-membership-network", store=fixture_store)
    assert isinstance(answer, Turtle) and isinstance(answer, str)
    graph = answer.to_networkx()
    assert graph.nodes[NANOLEK]["label"] == "Нанолек"
    assert graph.has_edge(NANOLEK, URALMET, key="http://www.w3.org/ns/org#linkedTo")
    assert graph.has_edge(NANOLEK, PHARMA, key="http://www.w3.org/ns/org#memberOf")
    linked = [(a, b) for a, b, k in graph.edges(keys=True) if k.endswith("#linkedTo")]
    assert len(linked) == sum(1 for s, p, o in answer.triples() if p.value.endswith("#linkedTo"))


@pytest.mark.server
@pytest.mark.parametrize("server_name", ["oxigraph_server", "virtuoso_server"])
def test_own_queries_prefixes_predefined_remotely(server_name: str, request: pytest.FixtureRequest,
                                                  workspace: Path) -> None:
    server: Server = request.getfixturevalue(server_name)
    push(workspace, Endpoint(server.store_url, server.user, server.password, server.auth), force=True)
    endpoint = Endpoint(server.query_url, server.user, server.password, server.auth)
    remote = query(BARE.replace("WHERE {", "WHERE { GRAPH ?g {").replace("} ORDER", "} } ORDER")
                   .replace("SELECT ?org", "SELECT DISTINCT ?org"), endpoint=endpoint)
    assert isinstance(remote, Rows)
    assert (NANOLEK, "Нанолек") in {(r[0].value, r[1].value) for r in remote if r[0] and r[1]}


@pytest.mark.server
@pytest.mark.parametrize("server_name", ["oxigraph_server", "virtuoso_server"])
def test_own_queries_comments_never_make_an_update(server_name: str, request: pytest.FixtureRequest,
                                                   workspace: Path) -> None:
    """SPARQLWrapper read the form from a text whose comments it half strips: a comment with
    «removed» in it was sent as an update (MOVE) and the server refused it."""
    server: Server = request.getfixturevalue(server_name)
    push(workspace, Endpoint(server.store_url, server.user, server.password, server.auth), force=True)
    endpoint = Endpoint(server.query_url, server.user, server.password, server.auth)
    text = ("# title: t\n# first comment\n# a link whose documents are removed goes; we add, load, drop\n"
            "# and a third\nSELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:Cluster }\n")
    remote = query(text, endpoint=endpoint)
    assert isinstance(remote, Rows) and int(remote.rows[0][0].value) > 0  # type: ignore[union-attr]
    graph = query("# removed\n# moved\nCONSTRUCT { ?s a ckg:Cluster } WHERE { ?s a ckg:Cluster }", endpoint=endpoint)
    assert "Cluster" in graph
