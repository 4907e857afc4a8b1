"""kg queries, kg query, kg push, kg serve on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from servers import Server, free_port, start_kg_serve, stop_kg_serve

from kg.cli import cli
from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.api import query
from kg.sparql import Rows, list_queries
from kg.sparql.catalog import queries_dir
from kg.store.oxigraph import open_store
from kg.store.remote import Endpoint

MINT = IriMinter()
NANOLEK = MINT.entity(Kind.COMPANY, "нанолек")
URALMET = MINT.entity(Kind.COMPANY, "уралмет")
KALUGA = MINT.entity(Kind.REGION, "калужская область")
QUERIES = queries_dir()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    # CSV rows end in CRLF (RFC 4180); the runner's text streams may translate them.
    return result.exit_code, result.stdout.replace("\r\n", "\n"), result.stderr


def test_cli_queries_lists_every_query() -> None:
    code, out, _ = run("queries")
    assert code == 0
    for q in list_queries():
        assert f"{q.name}  —  {q.title}\n    {q.description}\n" in out
    assert "    --param cluster=…  (iri of ckg:Cluster, required) the cluster (its IRI or its name)\n" in out
    assert "    --param role=…  (string in member|initiator|anchor) only this role" in out


def test_cli_queries_json() -> None:
    code, out, _ = run("queries", "--format", "json")
    assert code == 0
    assert [q["name"] for q in json.loads(out)] == [q.name for q in list_queries()]


def test_cli_query_csv_exact(workspace: Path) -> None:
    code, out, _ = run("query", "organisations-in-several-clusters", "-w", str(workspace), "-f", "csv")
    assert (code, out) == (0, f"org,org_name,clusters\n{NANOLEK},Нанолек,2\n{URALMET},Уралмет,2\n")


def test_cli_query_param_binds(workspace: Path) -> None:
    code, out, _ = run("query", "clusters-per-region", "-w", str(workspace), "-f", "tsv",
                       "--param", f"region={KALUGA}")
    assert (code, out) == (0, "?region\t?region_name\t?clusters\n"
                              f'<{KALUGA}>\t"Калужская область"@ru\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>\n')


def test_cli_query_hostile_param_is_a_value(workspace: Path) -> None:
    code, out, _ = run("query", "documents", "-w", str(workspace), "-f", "json",
                       "-p", 'doc_id=f01" } UNION { ?doc ?p ?o } #')
    assert code == 0
    assert json.loads(out)["results"]["bindings"] == []


def test_cli_query_enumerated_param_is_checked(workspace: Path) -> None:
    code, out, err = run("query", "cluster-members", "-w", str(workspace), "-p", "role=Memberr")
    assert (code, out) == (1, "")
    assert err == ("Error: " + str(QUERIES / "cluster-members.rq")
                   + ": parameter role: 'Memberr' is not one of member, initiator, anchor\n")
    code, out, _ = run("query", "cluster-members", "-w", str(workspace), "-p", "role=Member", "-f", "csv")
    assert code == 0 and out.count(",member,") == len(out.splitlines()) - 1 > 0  # any case is the value


def test_cli_query_from_stdin_and_file(workspace: Path, tmp_path: Path) -> None:
    text = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <https://w3id.org/cluster-kg/ontology#Document> }\n"
    code, out, _ = run("query", "-", "-w", str(workspace), "-f", "csv", stdin=text)
    assert (code, out) == (0, "n\n3\n")
    path = tmp_path / "count.rq"
    path.write_text(text, encoding="utf-8")
    assert run("query", str(path), "-w", str(workspace), "-f", "csv")[:2] == (0, "n\n3\n")


def test_cli_query_ask_and_construct(workspace: Path) -> None:
    assert run("query", "region-has-cluster", "-w", str(workspace), "-p", f"region={KALUGA}")[:2] == (0, "true\n")
    code, out, _ = run("query", "co-membership-network", "-w", str(workspace))
    assert code == 0
    triples = list(ox.parse(out.encode(), format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://www.w3.org/ns/org#linkedTo" for t in triples)


def test_cli_query_output_file(workspace: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    code, out, _ = run("query", "documents", "-w", str(workspace), "-f", "md", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("| doc | doc_id | date | title | source | length |\n")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["nope"], None, "Error: unknown query 'nope'; choose one of: "),
        (["-"], "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTRE(?s)\n}\n", "Error: <stdin>:3:"),
        (["cluster-profile"], None, "Error: /"),
        (["documents", "-p", "colour=red"], None, "unknown parameter 'colour'; this query takes: doc, doc_id"),
        (["region-has-cluster", "-p", 'region=http://x> } ; DROP ALL ; <http://y'], None, "not an absolute IRI"),
    ],
)
def test_cli_query_errors(workspace: Path, args: list[str], stdin: str | None, message: str) -> None:
    code, _, err = run("query", *args, "-w", str(workspace), stdin=stdin)
    assert code == 1
    assert message in err
    assert err.count("\n") == 1


def test_cli_query_bad_param_syntax_is_a_usage_error(workspace: Path) -> None:
    code, _, err = run("query", "documents", "-w", str(workspace), "-p", "novalue")
    assert code == 2
    assert "expected NAME=VALUE, got 'novalue'" in err


def test_cli_query_missing_workspace(tmp_path: Path) -> None:
    code, _, err = run("query", "documents", "-w", str(tmp_path / "none"))
    assert code == 1
    assert "no store here" in err


def test_cli_query_endpoint_down(workspace: Path) -> None:
    code, _, err = run("query", "documents", "--endpoint", f"http://127.0.0.1:{free_port()}/query",
                       "--retries", "0")
    assert code == 1
    assert err.startswith("Error: http://127.0.0.1:") and "connection refused" in err


def test_cli_query_endpoint_must_be_http() -> None:
    code, _, err = run("query", "documents", "--endpoint", "ftp://example.org/sparql")
    assert code == 2
    assert "'ftp://example.org/sparql' is not an http(s) URL" in err


@pytest.mark.server
def test_cli_push_then_query_remote(oxigraph_server: Server, workspace: Path) -> None:
    code, _, err = run("push", "-w", str(workspace), "--endpoint", oxigraph_server.store_url, "--force")
    assert (code, err) == (0, "graphs: 3 uploaded, 0 unchanged, 0 deleted; union graph: put\n")
    code, _, err = run("push", "-w", str(workspace), "--endpoint", oxigraph_server.store_url)
    assert (code, err) == (0, "graphs: 0 uploaded, 3 unchanged, 0 deleted; union graph: unchanged\n")
    local = run("query", "organisations-in-several-clusters", "-w", str(workspace), "-f", "csv")
    remote = run("query", "organisations-in-several-clusters", "--endpoint", oxigraph_server.query_url,
                 "-f", "csv")
    assert local == remote


@pytest.mark.server
def test_cli_serve_answers_like_the_workspace(workspace: Path) -> None:
    process, url = start_kg_serve(workspace)
    try:
        store = open_store(workspace, read_only=True)
        for name in ("organisations-in-several-clusters", "regions-without-clusters", "agreements-timeline",
                     "documents"):
            local = query(name, store=store)
            remote = query(name, endpoint=Endpoint(url))
            assert isinstance(local, Rows) and isinstance(remote, Rows)
            assert local == remote  # same rows in the same order: the default graph is the store's
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        assert query(construct, store=store) == query(construct, endpoint=Endpoint(url))
    finally:
        stop_kg_serve(process)


def test_cli_serve_needs_a_store(tmp_path: Path) -> None:
    code, _, err = run("serve", "-w", str(tmp_path))
    assert code == 1
    assert "no store here" in err
